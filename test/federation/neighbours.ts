// Neighbour subgraphs for the federation tests: a CRM that stores Bird ids and extends our entities, and a second Relay subgraph.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type DocumentNode, parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/**
 * A company's CRM subgraph. It stores Bird's natural keys the way any other system would (raw UUIDs, never our
 * global ids), adds its own fields to Contact (a resolvable entity here too) and to Message, and references Channel
 * through a `resolvable: false` stub, so only our subgraph resolves a Channel.
 */
export const CRM_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    tickets: [Ticket!]!
  }

  type Ticket @key(fields: "id") {
    id: ID!
    subject: String!
    message: Message
    channel: Channel
    contact: Contact
  }

  type Message @key(fields: "workspaceId channelId messageId") {
    workspaceId: ID!
    channelId: ID!
    messageId: ID!
    "The CRM tickets that quote this message."
    ticketIds: [ID!]!
  }

  type Channel @key(fields: "workspaceId channelId", resolvable: false) {
    workspaceId: ID!
    channelId: ID!
  }

  type Contact @key(fields: "workspaceId contactId") {
    workspaceId: ID!
    contactId: ID!
    "The CRM account the contact belongs to."
    crmAccount: String
  }
`;

export interface TicketRow {
  id: string;
  subject: string;
  workspaceId: string;
  channelId: string;
  messageId: string;
  contactId: string;
}

/** The CRM's account for a contact: deterministic, so tests can assert it. */
export const crmAccountOf = (contactId: string) => `ACME-${contactId.slice(0, 8)}`;

/** The CRM subgraph over `rows`, as a yoga app (buildSubgraphSchema: the reference implementation). */
export function createCrmSubgraph(rows: readonly TicketRow[]) {
  const schema = buildSubgraphSchema({
    typeDefs: parse(CRM_SDL),
    resolvers: {
      Query: { tickets: () => rows },
      Ticket: {
        message: (t: TicketRow) => ({ workspaceId: t.workspaceId, channelId: t.channelId, messageId: t.messageId }),
        channel: (t: TicketRow) => ({ workspaceId: t.workspaceId, channelId: t.channelId }),
        contact: (t: TicketRow) => ({ workspaceId: t.workspaceId, contactId: t.contactId }),
      },
      Message: {
        ticketIds: (m: { messageId: string }) => rows.filter((t) => t.messageId === m.messageId).map((t) => t.id),
      },
      Contact: {
        __resolveReference: (ref: { workspaceId: string; contactId: string }) => ref,
        crmAccount: (c: { contactId: string }) => crmAccountOf(c.contactId),
      },
    },
  });
  return createYoga({ schema, graphqlEndpoint: '/graphql', logging: false, landingPage: false, graphiql: false });
}

/**
 * An orders subgraph built the Relay way, as a second Pothos (or any Relay) server would be: its own Node interface,
 * connections, a shareable PageInfo and the `node`/`nodes` root fields. It references our Contact by its key.
 */
export const RELAY_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])

  interface Node {
    id: ID!
  }

  type Order implements Node @key(fields: "id") {
    id: ID!
    total: Int!
    contact: Contact
  }

  type OrderEdge {
    cursor: String!
    node: Order
  }

  type OrderConnection {
    edges: [OrderEdge]
    pageInfo: PageInfo!
  }

  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Contact @key(fields: "workspaceId contactId", resolvable: false) {
    workspaceId: ID!
    contactId: ID!
  }

  type Query {
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    orders(first: Int, after: String, last: Int, before: String): OrderConnection!
  }
`;

export const BIRD_URL = 'http://bird.subgraph/graphql';
export const CRM_URL = 'http://crm.subgraph/graphql';
export const RELAY_URL = 'http://orders.subgraph/graphql';

export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

export const crmSubgraph = (): SubgraphDefinition => ({ name: 'crm', url: CRM_URL, typeDefs: parse(CRM_SDL) });
export const relaySubgraph = (): SubgraphDefinition => ({ name: 'orders', url: RELAY_URL, typeDefs: parse(RELAY_SDL) });
export const birdSubgraph = (sdl: string): SubgraphDefinition => ({ name: 'bird', url: BIRD_URL, typeDefs: parse(sdl) });
