// Compiled execution (src/jit.ts): the same HTTP answers as graphql-js on every test/gql operation and on the edge
// cases where graphql-jit differed, with the same upstream calls; and which documents really run compiled.
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { edgeCases, fileCases, type GqlCase, normalizeAnswer } from '../gql/cases.ts';
import { DEMO_KEY, type TestStack, startTestStack, testSchema } from '../helpers.ts';

// Every document graphql-jit compiles, by its source text: proves which cases ran compiled.
const compiledSources = vi.hoisted(() => new Set<string>());
vi.mock('graphql-jit', async (original) => {
  const jit = await original<typeof import('graphql-jit')>();
  return {
    ...jit,
    compileQuery: (...args: Parameters<typeof jit.compileQuery>) => {
      const body = (args[1] as DocumentNode).loc?.source.body;
      if (body) compiledSources.add(body);
      return jit.compileQuery(...args);
    },
  };
});

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let stack: TestStack;
let plain: App;
let messageId = '';

beforeAll(async () => {
  stack = await startTestStack();
  expect(stack.config.jit.enabled).toBe(true);
  plain = createApp({ config: { ...stack.config, jit: { ...stack.config.jit, enabled: false } }, bird: stack.bird, schema: testSchema(), logger: silent });
  const page = await stack.rest<{ results: { id: string }[] }>(`/workspaces/${WS}/channels/${SMS}/messages?limit=1`);
  messageId = page.results[0]!.id;
});
afterAll(async () => {
  await plain?.dispose();
  await stack?.close();
});

let sequence = 0;
/** The HTTP answer and the distinct upstream requests of this request alone (the emulator logs each call's x-request-id). */
async function answer(app: App, c: GqlCase): Promise<{ status: number; body: string; calls: string[] }> {
  const requestId = `jit-${++sequence}`;
  const response = await app.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `AccessKey ${DEMO_KEY}`,
      'x-request-id': requestId,
    },
    body: JSON.stringify({ query: c.query, variables: c.variables, ...(c.operationName ? { operationName: c.operationName } : {}) }),
  });
  const body = normalizeAnswer(await response.text(), c.mutates);
  // Distinct requests: a retry on a loaded machine (a timeout) must not count as a difference.
  const calls = [...new Set(stack.requests.upstream().filter((entry) => entry.requestId === requestId).map((entry) => `${entry.method} ${entry.path} ${JSON.stringify(entry.query)}`))].sort();
  return { status: response.status, body, calls };
}

/** Cases that never run compiled, and why (src/jit.ts). */
const NOT_COMPILED: Record<string, string> = {
  'send.graphql:SendMessage': 'more fields to compile than maxFields (every content type of the payload)',
  'send.graphql:SentMessage': 'more fields to compile than maxFields',
  '_entities as a literal with a variable inside': 'a scalar written as a list literal',
  'a global id that is not one': 'refused by the cost estimate before execution (src/limits.ts)',
  '@include on a fragment': '@skip/@include with fragments',
  'bad UUID variable': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  'missing required variable': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  'null for a non-null variable': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  'Int given as a string': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  'an unknown enum value': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  'an unknown input field': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  '@oneOf content with two keys': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  '@oneOf content with no key': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  '@oneOf body with a null member': 'variables that do not coerce: refused by the estimate (src/limits.ts) before execution, BAD_USER_INPUT',
  'a negative page size': 'refused by the call estimate (src/limits.ts) before execution',
};

describe('compiled execution answers as graphql-js does', () => {
  const run = async (c: GqlCase) => {
    const [compiled, interpreted] = [await answer(stack.app, c), await answer(plain, c)];
    expect(compiled.status, c.name).toBe(interpreted.status);
    expect(compiled.body, c.name).toBe(interpreted.body);
    expect(compiled.calls, c.name).toEqual(interpreted.calls);
    return compiled;
  };

  it('on every operation of test/gql/*.graphql', async () => {
    const cases = fileCases(messageId);
    expect(cases.length).toBeGreaterThanOrEqual(19);
    for (const c of cases) {
      const result = await run(c);
      if (!c.mutates) expect(result.body, c.name).not.toContain('"errors"');
      expect(compiledSources.has(c.query), c.name).toBe(!(c.name in NOT_COMPILED));
    }
  });

  it('on bad variables, @oneOf, `_entities`, errors in lists and language features', async () => {
    for (const c of edgeCases(messageId)) {
      await run(c);
      if (!(c.name in NOT_COMPILED)) expect(compiledSources.has(c.query), c.name).toBe(true);
    }
  });

  it('refuses bad variables and @oneOf violations as graphql-js does: HTTP 400, no data, no call', async () => {
    const byName = new Map(edgeCases(messageId).map((c) => [c.name, c]));
    for (const name of ['bad UUID variable', 'Int given as a string', '@oneOf content with two keys', '@oneOf content with no key', 'an unknown input field']) {
      const result = await answer(stack.app, byName.get(name)!);
      const body = JSON.parse(result.body) as { data?: unknown; errors: unknown[] };
      expect(result.status, name).toBe(400);
      expect(body.data, name).toBeUndefined();
      expect(body.errors.length, name).toBeGreaterThan(0);
      expect(result.calls, name).toEqual([]);
    }
  });

  it('keeps every `_entities` item at its index when some reject', async () => {
    const c = edgeCases(messageId).find((x) => x.name === '_entities with malformed representations')!;
    const body = JSON.parse((await answer(stack.app, c)).body) as { data: { _entities: unknown[] }; errors: { path: unknown[] }[] };
    expect(body.data._entities).toEqual([null, { __typename: 'Channel', channelId: SMS, name: SEED.channels.sms.name }, null, null, expect.objectContaining({ workspaceId: WS })]);
    expect(body.errors.map((e) => e.path)).toEqual([['_entities', 0], ['_entities', 2], ['_entities', 3]]);
  });

  it('runs traced requests (ftv1) on graphql-js, with the same data', async () => {
    const query = `query TracedChannel($ws: UUID!, $ch: UUID!) { channel(workspaceId: $ws, channelId: $ch) { name } }`;
    const result = await stack.execute<{ channel: { name: string } }>(query, { ws: WS, ch: SMS }, { headers: { 'apollo-federation-include-trace': 'ftv1' } });
    expect(result.data).toEqual({ channel: { name: SEED.channels.sms.name } });
    expect(result.extensions?.ftv1).toEqual(expect.any(String));
    expect(compiledSources.has(query)).toBe(false);
  });

  it('compiles a document once, however often it runs', async () => {
    const query = `query CompiledOnce($ws: UUID!) { workspace(workspaceId: $ws) { workspaceId } }`;
    const before = compiledSources.size;
    for (let i = 0; i < 5; i++) expect((await stack.execute(query, { ws: WS })).errors).toBeUndefined();
    expect(compiledSources.size).toBe(before + 1);
    expect([...compiledSources].filter((body) => body === query)).toHaveLength(1);
  });
});
