// Imports every domain file and builds the subgraph schema; defines nothing itself.
import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.ts';
import './channel.ts';
import './workspace.ts';
import './contact.ts';
import './content.ts';
import './message.ts';
import './interaction.ts';

export function buildSchema(): GraphQLSchema {
  return builder.toSubGraphSchema({ sortSchema: true });
}
