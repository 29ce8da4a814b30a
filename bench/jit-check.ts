// `npx tsx bench/jit-check.ts`: does compiled execution (src/jit.ts, GRAPHQL_JIT) answer exactly as graphql-js, and
// how much faster is it? In one process: the emulator, and our whole app (createApp, every plugin) twice over one Bird
// client, GRAPHQL_JIT on and off. Compares the HTTP status and body of every canonical operation, every operation of
// test/gql/*.graphql and the edge cases of test/gql/cases.ts (with how each one executes), then times each canonical
// operation through app.fetch (sequential, warm, interleaved rounds). No HTTP socket: the difference is execution.
import { parse } from 'graphql';
import { Pool } from 'undici';
import { type App, createApp } from '../src/app.ts';
import { createBirdClient } from '../src/bird/client.ts';
import { birdClientOptions, loadConfig } from '../src/config.ts';
import { SEED } from '../src/emulator/seed.ts';
import { startEmulator } from '../src/emulator/server.ts';
import { createPlanner } from '../src/jit.ts';
import { buildSchema } from '../src/schema/index.ts';
import { type GqlCase, edgeCases, fileCases, normalizeAnswer } from '../test/gql/cases.ts';
import { median } from './lib/measure.ts';
import { ACCESS_KEY, fixture, operations, prepare } from './lib/operations.ts';

const emulator = await startEmulator({ rateLimits: false, recordRequests: false });
const pool = new Pool(emulator.url);
await prepare(pool);
const env = { NODE_ENV: 'production', BIRD_API_URL: emulator.url, BIRD_ACCESS_KEY: ACCESS_KEY, BIRD_ORGANIZATION_ID: SEED.organizationId, LOG_LEVEL: 'warn' };
const config = loadConfig(env);
const bird = createBirdClient(birdClientOptions(config.bird));
const schema = buildSchema();
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const jit = createApp({ config: loadConfig({ ...env, GRAPHQL_JIT: 'true' }), bird, schema, logger: silent });
const plain = createApp({ config: loadConfig({ ...env, GRAPHQL_JIT: 'false' }), bird, schema, logger: silent });

async function run(app: App, c: Pick<GqlCase, 'query' | 'variables' | 'operationName'>): Promise<{ status: number; text: string }> {
  const response = await app.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: c.query, variables: c.variables, ...(c.operationName ? { operationName: c.operationName } : {}) }),
  });
  return { status: response.status, text: await response.text() };
}

const planner = createPlanner();
const how = (c: GqlCase) => {
  const plan = planner(schema, parse(c.query), c.operationName);
  return plan.kind === 'compiled' ? 'compiled' : `graphql-js (${plan.reason})`;
};

const canonical: GqlCase[] = operations().map((o) => ({ name: `bench:${o.key}`, ...o.ours, mutates: o.key === 'send' }));
const cases = [...canonical, ...fileCases(fixture.messageId), ...edgeCases(fixture.messageId)];
let different = 0;
for (const c of cases) {
  const [a, b] = [await run(jit, c), await run(plain, c)];
  const same = a.status === b.status && normalizeAnswer(a.text, c.mutates) === normalizeAnswer(b.text, c.mutates);
  if (!same) different++;
  console.log(`${same ? 'same     ' : 'DIFFERENT'} ${c.name.padEnd(58)} ${String(a.status)} ${how(c)}${same ? '' : `\n  jit:   ${a.text.slice(0, 300)}\n  plain: ${b.text.slice(0, 300)}`}`);
}
console.log(`${cases.length} cases, ${different} different.\n`);

const rounds = 3;
const n = 1500;
console.log('operation  graphql-js ms/op  compiled ms/op  saved');
for (const c of canonical) {
  const per: Record<'plain' | 'jit', number[]> = { plain: [], jit: [] };
  const count = c.name === 'bench:page50' ? n / 5 : n;
  for (let r = 0; r < rounds; r++) {
    const order = (r % 2 === 0 ? [['plain', plain], ['jit', jit]] : [['jit', jit], ['plain', plain]]) as ['plain' | 'jit', App][];
    for (const [name, app] of order) {
      for (let i = 0; i < 200; i++) await run(app, c);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < count; i++) await run(app, c);
      per[name].push(Number(process.hrtime.bigint() - t0) / 1e6 / count);
    }
  }
  const [p, j] = [median(per.plain), median(per.jit)];
  console.log(`${c.name.slice(6).padEnd(10)} ${p.toFixed(3).padStart(10)} ${j.toFixed(3).padStart(15)}  ${(p - j).toFixed(3)} ms (${(((p - j) / p) * 100).toFixed(1)} %)`);
}
await jit.dispose();
await plain.dispose();
await bird.close();
await pool.close();
await emulator.close();
process.exit(different === 0 ? 0 : 1);
