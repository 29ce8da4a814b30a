// EstimateCache (src/limits.ts): the per-document cache of cost / upstream-call estimates answers exactly as
// estimateOperation does, for every variables value, and never caches what is not plain JSON.
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { EstimateCache, estimateOperation } from '../../src/limits.ts';
import { buildSchema } from '../../src/schema/index.ts';

const schema = buildSchema();
const WS = SEED.workspaces.main.id;
const document = parse(`query Channels($ws: UUID!, $n: Int, $m: Int) {
  workspace(workspaceId: $ws) { channels(first: $n) { edges { node { name messages(first: $m) { edges { node { messageId } } } } } } }
}`);

describe('EstimateCache', () => {
  it('gives the same estimate as estimateOperation for each variables value, repeated or not', () => {
    const cache = new EstimateCache();
    const cases = [
      { ws: WS, n: 1, m: 1 },
      { ws: WS, n: 10, m: 50 },
      { ws: WS, n: 1, m: 1 },
      { ws: WS, n: 100, m: 100 },
      { ws: WS, n: 'ten' }, // does not coerce: the coercion errors, as estimateOperation
      { ws: WS, n: 10, m: 50 },
    ];
    const seen = new Set<string>();
    for (const variables of cases) {
      const expected = estimateOperation(schema, document, 'Channels', variables);
      expect(cache.get(schema, document, 'Channels', variables)).toEqual(expected);
      seen.add(JSON.stringify(expected));
    }
    expect(seen.size).toBe(4); // the variables really change the estimate
  });

  it('keys on the operation name too', () => {
    const two = parse('query A { __typename } query B { workspaces(first: 5) { edges { node { name } } } }');
    const cache = new EstimateCache();
    expect(cache.get(schema, two, 'A', {})).toEqual(estimateOperation(schema, two, 'A', {}));
    expect(cache.get(schema, two, 'B', {})).toEqual(estimateOperation(schema, two, 'B', {}));
    expect(cache.get(schema, two, 'A', {})).not.toEqual(cache.get(schema, two, 'B', {}));
  });

  it('computes afresh (never caches) variables that are not plain JSON, such as an upload', () => {
    const cache = new EstimateCache();
    const file = new File([new Uint8Array(4)], 'a.png', { type: 'image/png' });
    const variables = { ws: WS, n: 3, m: 3, file };
    expect(cache.get(schema, document, 'Channels', variables)).toEqual(estimateOperation(schema, document, 'Channels', variables));
    // A plain object that prints like the File must not reuse its entry.
    expect(JSON.stringify(file)).toBe('{}');
    const lookalike = { ws: WS, n: 3, m: 3, file: {} };
    expect(cache.get(schema, document, 'Channels', lookalike)).toEqual(estimateOperation(schema, document, 'Channels', lookalike));
  });
});
