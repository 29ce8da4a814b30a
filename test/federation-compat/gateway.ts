// Stands in for the suite's router: ApolloGateway composing users, inventory and our products fixture, on :4000.
//
// The suite's own runners need Docker or download rover and the router binary; the in-process gateway runs the same
// query planner. It listens on port 4000 with no host (the suite calls http://localhost:4000/, ::1 or 127.0.0.1).
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: 'users', url: `http://127.0.0.1:${process.env.USERS_PORT ?? 4002}/` },
      { name: 'inventory', url: `http://127.0.0.1:${process.env.INVENTORY_PORT ?? 4003}/` },
      { name: 'products', url: process.env.PRODUCTS_URL ?? 'http://127.0.0.1:4001/' },
    ],
  }),
});

const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: 4000 } });
console.log(`gateway on ${url}`);
