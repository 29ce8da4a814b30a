// Composes our subgraph SDL with neighbour subgraphs using both Apollo's and The Guild's composition engines.
import { composeServices as composeApollo } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { composeServices as composeGuild } from '@theguild/federation-composition';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/index.ts';
import { type SubgraphDefinition, birdSubgraph, crmSubgraph, relaySubgraph } from '../federation/neighbours.ts';

const withNodeFields = printSubgraphSchema(buildSchema());
const withoutNodeFields = printSubgraphSchema(buildSchema({ nodeFields: false }));

/** Both engines' results, reduced to the supergraph SDL or the error messages. */
function compose(subgraphs: SubgraphDefinition[]) {
  const apollo = composeApollo(subgraphs);
  const guild = composeGuild(subgraphs);
  return {
    apollo: { sdl: apollo.supergraphSdl, errors: (apollo.errors ?? []).map((e) => e.message) },
    guild: { sdl: guild.supergraphSdl, errors: (guild.errors ?? []).map((e) => e.message) },
  };
}

describe('composition with a CRM subgraph that extends Contact and Message and references Channel', () => {
  const result = compose([birdSubgraph(withNodeFields), crmSubgraph()]);

  for (const engine of ['apollo', 'guild'] as const) {
    it(`composes with ${engine === 'apollo' ? '@apollo/composition' : '@theguild/federation-composition'}`, () => {
      expect(result[engine].errors).toEqual([]);
      const sdl = result[engine].sdl ?? '';
      // Our entities are joined on the natural keys, in both subgraphs.
      expect(sdl).toMatch(/type Channel[^{]*@join__type\(graph: BIRD, key: "workspaceId channelId"\)/);
      expect(sdl).toMatch(/type Contact[^{]*@join__type\(graph: CRM, key: "workspaceId contactId"\)/);
      expect(sdl).toMatch(/type Message[^{]*@join__type\(graph: BIRD, key: "workspaceId channelId messageId"\)/);
      expect(sdl).toMatch(/type Workspace[^{]*@join__type\(graph: BIRD, key: "workspaceId"\)/);
      // The CRM's own fields land on our types.
      expect(sdl).toMatch(/crmAccount: String @join__field\(graph: CRM\)/);
      expect(sdl).toMatch(/ticketIds: \[ID!\]! @join__field\(graph: CRM\)/);
    });
  }
});

describe('composition with a second Relay subgraph (its own Node, connections, PageInfo, node/nodes)', () => {
  it('composes in both engines with our node fields switched off (RELAY_NODE_FIELDS=false)', () => {
    const result = compose([birdSubgraph(withoutNodeFields), crmSubgraph(), relaySubgraph()]);
    expect(result.apollo.errors).toEqual([]);
    expect(result.guild.errors).toEqual([]);
    // PageInfo is shareable on both sides; `node` now routes only to the orders subgraph.
    expect(result.apollo.sdl).toMatch(/type PageInfo\s+@join__type\(graph: BIRD\)\s+@join__type\(graph: ORDERS\)/);
    expect(result.apollo.sdl).toMatch(/node\(id: ID!\): Node @join__field\(graph: ORDERS\)/);
  });

  it('fails in both engines with our node fields on: two subgraphs cannot both own Query.node', () => {
    const result = compose([birdSubgraph(withNodeFields), relaySubgraph()]);
    for (const errors of [result.apollo.errors, result.guild.errors]) {
      expect(errors.join('\n')).toMatch(/Non-shareable field "Query\.node" is resolved from multiple subgraphs/);
      expect(errors.join('\n')).toMatch(/Non-shareable field "Query\.nodes" is resolved from multiple subgraphs/);
    }
  });
});
