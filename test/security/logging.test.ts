// Log injection and hygiene (issue 15 item 10): one line per record whatever a caller puts in it, "msg" once, and the
// level says whose fault it is: a caller's mistake at info, Bird's trouble at warn, the server's own faults at error.
import { Writable } from 'node:stream';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { createLogger, escapeControl, yogaLogger } from '../../src/observability/logger.ts';
import { type TestStack, startTestStack, testSchema } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const MSG = SEED.messages.emailWithInteractions;
const FORGED = '2026-01-01T00:00:00.000Z ERROR forged admin login';

/** Collects what a logger writes, chunk by chunk, and the lines those chunks hold. */
function sink() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { destination, chunks, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

/** The test schema with one resolver that fails with a message carrying a forged log line. */
function schemaWithFault(): GraphQLSchema {
  const base = testSchema().toConfig();
  const query = testSchema().getQueryType()!.toConfig();
  const Query = new GraphQLObjectType({
    ...query,
    fields: {
      ...query.fields,
      boom: {
        type: GraphQLString,
        resolve: () => {
          throw new Error(`lookup failed\n${FORGED}`);
        },
      },
    },
  });
  return new GraphQLSchema({ ...base, query: Query, types: base.types.filter((type) => type.name !== 'Query') });
}

describe('LOG_FORMAT=text: caller-controlled text cannot forge log lines', () => {
  let stack: TestStack;
  const out = sink();
  beforeAll(async () => {
    const logger = yogaLogger(createLogger({ level: 'info', format: 'text', destination: out.destination }));
    stack = await startTestStack({ schema: schemaWithFault(), logger, env: { LOG_FORMAT: 'text', METRICS: 'false' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('the reproduction: a __typename with a newline in _entities', async () => {
    const before = out.chunks.length;
    await stack.execute('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: `X\n${FORGED}` }] });
    const written = out.chunks.slice(before);
    expect(written.length).toBeGreaterThan(0);
    for (const chunk of written) expect(chunk.split('\n').filter(Boolean)).toHaveLength(1);
    expect(out.lines().some((line) => line.startsWith(FORGED))).toBe(false);
  });

  it('an error message with a newline stays on its line, escaped; the fault is logged at ERROR with its stack', async () => {
    const before = out.chunks.length;
    const result = await stack.execute('{ boom }');
    expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const written = out.chunks.slice(before);
    for (const chunk of written) expect(chunk.split('\n').filter(Boolean)).toHaveLength(1);
    const fault = written.find((chunk) => chunk.includes('lookup failed'));
    expect(fault).toBeDefined();
    expect(fault).toMatch(/ ERROR lookup failed\\n2026-01-01T00:00:00\.000Z ERROR forged/);
    expect(fault).toMatch(/"stack":"Error: lookup failed.*\\n\s+at /);
    expect(out.lines().some((line) => line.startsWith(FORGED))).toBe(false);
  });

  it('an operationName that is not a plain name is logged as anonymous', async () => {
    const before = out.chunks.length;
    await stack.execute('query A { __typename }', undefined, { operationName: `A\n${FORGED}` });
    const written = out.chunks.slice(before).join('');
    expect(written).toContain('operation=anonymous');
    expect(written).not.toContain(FORGED);
  });

  it('escapes every control character, DEL, C1 and the Unicode line separators; quotes values that need it', () => {
    expect(escapeControl('a\nb\rc\td\u0000e\u001bf\u007fg\u0085h\u2028i\u2029j')).toBe('a\\nb\\rc\\td\\u0000e\\u001bf\\u007fg\\u0085h\\u2028i\\u2029j');
    const local = sink();
    const logger = createLogger({ level: 'info', format: 'text', destination: local.destination });
    logger.info({ plain: 'value', spaced: 'two words', forged: `x\n${FORGED}`, nested: { a: 'b\nc' } }, `message\r\n${FORGED}`);
    expect(local.chunks).toHaveLength(1);
    const [line] = local.lines();
    expect(line).toMatch(/ INFO message\\r\\n2026/);
    expect(line).toContain(' plain=value ');
    expect(line).toContain(' spaced="two words" ');
    expect(line).toContain(' forged="x\\n2026-01-01T00:00:00.000Z ERROR forged admin login" ');
    expect(line).toContain(' nested={"a":"b\\nc"}');
  });
});

describe('LOG_FORMAT=json: levels by whose fault it is, "msg" once', () => {
  let stack: TestStack;
  const out = sink();
  const records = () => out.lines().map((line) => ({ line, record: JSON.parse(line) as Record<string, any> }));
  beforeAll(async () => {
    const logger = yogaLogger(createLogger({ level: 'info', format: 'json', destination: out.destination }));
    stack = await startTestStack({ schema: schemaWithFault(), logger, emulator: { rateLimits: false }, bird: { random: () => 0.01 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('request lines carry "msg" once', async () => {
    const before = out.chunks.length;
    await stack.execute('query Named { __typename }');
    const line = out.chunks.slice(before).find((chunk) => chunk.includes('"request"'))!;
    expect(line.match(/"msg"/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ msg: 'request', operation: 'Named', status: 200, level: 30 });
  });

  it("the caller's mistakes (an invalid cursor, a message that does not exist) are info, an upstream 429 is warn, none error", async () => {
    const before = out.chunks.length;
    const cursor = await stack.execute(`{ workspace(workspaceId: "${WS}") { channels(first: 2, after: "garbage") { edges { cursor } } } }`);
    expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await stack.execute(`{ message(workspaceId: "${WS}", channelId: "${MSG.channelId}", messageId: "00000000-0000-4000-8000-00000000dead") { text } }`);
    expect(missing.errors?.[0]?.extensions?.code ?? missing.data).toEqual(missing.errors ? 'NOT_FOUND' : { message: null });
    stack.emulator.setFaults({ 'GET /workspaces/:ws/channels/:ch/messages/:msg': Array.from({ length: 4 }, () => ({ status: 429 })) });
    const limited = await stack.execute(`{ message(workspaceId: "${WS}", channelId: "${MSG.channelId}", messageId: "${MSG.id}") { text } }`);
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const logged = records().filter(({ line }) => out.chunks.slice(before).includes(`${line}\n`));
    const failures = logged.filter(({ record }) => record.error);
    // An invalid cursor is refused before execution now (not logged at all); if a mistake is logged, it is at info.
    for (const { record } of failures) expect([record.level, record.error.code]).toEqual(record.error.code === 'RATE_LIMITED' ? [40, 'RATE_LIMITED'] : [30, record.error.code]);
    expect(failures.map(({ record }) => record.error.code)).toContain('RATE_LIMITED');
    expect(failures.every(({ record }) => record.error.stack === undefined)).toBe(true);
    expect(logged.filter(({ record }) => record.level >= 50)).toEqual([]);
  });

  it("the server's own fault is error, with a stack", async () => {
    const before = out.chunks.length;
    await stack.execute('{ boom }');
    const fault = out.chunks
      .slice(before)
      .map((chunk) => JSON.parse(chunk) as Record<string, any>)
      .find((record) => record.error);
    expect(fault).toMatchObject({ level: 50, error: { type: 'GraphQLError', message: expect.stringContaining('lookup failed') } });
    expect(fault!.error.stack).toMatch(/\n\s+at /);
  });
});
