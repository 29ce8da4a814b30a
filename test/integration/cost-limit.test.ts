// MAX_COST, measured by Pothos complexity before execution (src/limits.ts): one coded error, no data, no call, in every shape of operation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
/** 100 channels × 100 messages: far over MAX_COST (20,000), yet 102 calls, within MAX_UPSTREAM_CALLS (150). */
const EXPENSIVE = `channels(first: 100) { edges { node { messages(first: 100) { edges { node { messageId text status } } } } } }`;
const ENTITIES = '_entities(representations: $r)';

describe('the cost limit', () => {
  let stack: TestStack;
  let production: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ emulator: { rateLimits: false } });
    production = await startTestStack({ emulator: { rateLimits: false }, env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await stack?.close();
    await production?.close();
  });
  beforeEach(() => {
    stack.requests.resetUpstream();
    production.requests.resetUpstream();
  });

  const cases: [string, string, Record<string, unknown>?][] = [
    ['one root field', `{ workspace(workspaceId: "${WS}") { ${EXPENSIVE} } }`],
    ['two root fields (one error, not one per field)', `{ a: workspace(workspaceId: "${WS}") { ${EXPENSIVE} } b: workspace(workspaceId: "${WS}") { name } }`],
    [
      'an _entities query',
      `query ($r: [_Any!]!) { ${ENTITIES} { ... on Workspace { ${EXPENSIVE} } } }`,
      { r: [{ __typename: 'Workspace', workspaceId: WS }] },
    ],
    [
      '_entities beside an expensive field (no entity is fetched first)',
      `query ($r: [_Any!]!) { ${ENTITIES} { ... on Channel { name } } workspace(workspaceId: "${WS}") { ${EXPENSIVE} } }`,
      { r: [{ __typename: 'Channel', workspaceId: WS, channelId: SMS }] },
    ],
    [
      'over the upstream budget too (the cost error comes first)',
      `{ workspace(workspaceId: "${WS}") { channels(first: 100) { edges { node { messages(first: 100) { edges { node { channel { name } } } } } } } } }`,
    ],
  ];

  it.each(cases)('%s: COST_LIMIT_EXCEEDED, the cost and limit named outside production, no call', async (_name, query, variables) => {
    const result = await stack.execute(query, variables);
    expect(result.data ?? undefined).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error!.extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED', limit: { maxCost: 20_000, cost: expect.any(Number) } });
    const { cost } = error!.extensions.limit as { cost: number };
    expect(cost).toBeGreaterThan(20_000);
    expect(error!.message).toBe(`The operation's estimated cost ${cost} exceeds 20000; request smaller pages.`);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it.each(cases)('%s: in production, a generic message and no limit', async (_name, query, variables) => {
    const result = await production.execute(query, variables);
    expect(result).toEqual({ errors: [{ message: 'The operation is too expensive; request smaller pages.', extensions: { code: 'COST_LIMIT_EXCEEDED' } }] });
    expect(production.requests.upstream()).toEqual([]);
  });

  it('refuses an operation with a malformed global ID before any call, even beside an expensive field', async () => {
    const result = await stack.execute(`{ node(id: "bad!") { id } workspace(workspaceId: "${WS}") { ${EXPENSIVE} } }`);
    expect(result).toEqual({ errors: [{ message: 'Invalid ID.', extensions: { code: 'BAD_USER_INPUT', argument: 'id' } }] });
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('lets the same shapes through with small pages', async () => {
    const small = `channels(first: 2) { edges { node { messages(first: 2) { edges { node { messageId } } } } } }`;
    const result = await stack.execute(
      `query ($r: [_Any!]!) { ${ENTITIES} { ... on Workspace { ${small} } } workspace(workspaceId: "${WS}") { ${small} } }`,
      { r: [{ __typename: 'Workspace', workspaceId: WS }] },
    );
    expect(result.errors).toBeUndefined();
    expect(stack.requests.upstream().length).toBeGreaterThan(0);
  });
});
