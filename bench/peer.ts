// The peer: Hive Gateway (@graphql-hive/gateway-runtime) serving a supergraph composed at startup from the emulator's
// own OpenAPI document (GET /openapi.json) with @omnigraph/openapi, executed by @graphql-mesh/transport-rest.
// This is what a team would get "for free" from the OpenAPI document, with no hand-written resolvers. Env:
// EMULATOR_URL, PORT, BIRD_ACCESS_KEY.
import { createServer } from 'node:http';
import { getComposedSchemaFromConfig } from '@graphql-mesh/compose-cli';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createLoggerFromLogging } from '@graphql-hive/gateway-runtime';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';
import restTransport from '@graphql-mesh/transport-rest';

const emulatorUrl = process.env.EMULATOR_URL ?? 'http://127.0.0.1:4010';
const accessKey = process.env.BIRD_ACCESS_KEY ?? 'demo-access-key';

const logger = createLoggerFromLogging(false);
const supergraph = await getComposedSchemaFromConfig(
  {
    subgraphs: [
      {
        sourceHandler: loadOpenAPISubgraph('Bird', {
          source: `${emulatorUrl}/openapi.json`,
          endpoint: emulatorUrl,
          operationHeaders: { Authorization: `AccessKey ${accessKey}` },
        }),
      },
    ],
    // The one thing the document cannot say: a message's contact is fetched with its workspace, which Bird's message
    // does not carry. The client names the workspace in a header, the usual Mesh way to pass it down.
    additionalTypeDefs: /* GraphQL */ `
      extend type ContactRef {
        contact: getContact_response
          @resolveTo(
            sourceName: "Bird"
            sourceTypeName: "Query"
            sourceFieldName: "getContact"
            requiredSelectionSet: "{ id }"
            sourceArgs: { workspaceId: "{context.headers.x-bird-workspace-id}", contactId: "{root.id}" }
          )
      }
    `,
  },
  // compose-cli types its logger as Mesh's; the gateway's logger is the one it uses at runtime.
  logger as unknown as Parameters<typeof getComposedSchemaFromConfig>[1],
);
if (process.env.PRINT_SUPERGRAPH === '1') console.error(supergraph);

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  landingPage: false,
  graphiql: false,
  transports: { rest: restTransport },
});
const server = createServer(gateway);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
