// Imports every domain file and builds the subgraph schema; defines nothing itself.
import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.ts';
import { withoutRelayNodeFields } from './federation.ts';
// Import order is registration order: printSubgraphSchema keeps fields in the order they were added (types are sorted).
import './workspace.ts';
import './contact.ts';
import './channel.ts';
import './content.ts';
import './content-input.ts';
import './message.ts';
import './interaction.ts';
import './send.ts';
import './media.ts';
import './subscription.ts';

export interface BuildSchemaOptions {
  /** Serve Relay's `Query.node` / `Query.nodes` (default true); false where another subgraph owns them. */
  nodeFields?: boolean;
}

export function buildSchema({ nodeFields = true }: BuildSchemaOptions = {}): GraphQLSchema {
  const schema = builder.toSubGraphSchema({ sortSchema: true });
  return nodeFields ? schema : withoutRelayNodeFields(schema);
}
