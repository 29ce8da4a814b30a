// `npx tsx bench/jit-check.ts`: does graphql-jit (@envelop/graphql-jit) give the same answers on our schema, and is
// it faster? In one process, two minimal yoga apps over the same buildSchema() and Bird client (the emulator in
// process): plain graphql-js execution vs the JIT plugin. Compares the JSON of every canonical operation plus a
// federation `_entities` query and a `node` query, then times each operation through yoga.fetch (sequential, warm).
// The execution layer only: HTTP, our plugins and the network are the same for both, so they are left out.
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga } from 'graphql-yoga';
import { Pool } from 'undici';
import { createBirdClient } from '../src/bird/client.ts';
import { bindBird } from '../src/bird/handle.ts';
import { type Context, missingCredential } from '../src/context.ts';
import { SEED } from '../src/emulator/seed.ts';
import { startEmulator } from '../src/emulator/server.ts';
import { buildSchema } from '../src/schema/index.ts';
import { median } from './lib/measure.ts';
import { type GraphQLRequest, operations, prepare } from './lib/operations.ts';

const emulator = await startEmulator({ rateLimits: false, recordRequests: false });
const pool = new Pool(emulator.url);
await prepare(pool);
const bird = createBirdClient({ apiUrl: emulator.url, mediaUrl: emulator.url });
const schema = buildSchema();
const context = ({ request }: { request: Request }): Context =>
  ({
    bird: bindBird(bird, {
      credential: { scheme: 'AccessKey', token: SEED.accessKeys.demo },
      requestId: 'jit-check',
      signal: request.signal,
      missingCredential,
    }),
    requestId: 'jit-check',
    organizationId: SEED.organizationId,
    mediaOrigin: emulator.url,
  }) as Context;
const plain = createYoga({ schema, context, logging: false, graphiql: false, maskedErrors: false });
const jit = createYoga({ schema, context, logging: false, graphiql: false, maskedErrors: false, plugins: [useGraphQlJit()] });

const sms = SEED.channels.sms.id;
const ws = SEED.workspaces.main.id;
const extra: { key: string; request: GraphQLRequest }[] = [
  {
    key: 'entities',
    request: {
      query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Message { messageId status text } ... on Channel { channelId name } ... on Workspace { workspaceId name } } }`,
      variables: {
        r: [
          { __typename: 'Channel', workspaceId: ws, channelId: sms },
          { __typename: 'Workspace', workspaceId: ws },
          { __typename: 'Channel', workspaceId: ws, channelId: sms },
        ],
      },
    },
  },
  { key: 'node', request: { query: `query($id: ID!) { node(id: $id) { __typename id ... on Channel { name platform } } }`, variables: { id: Buffer.from(`Channel:${ws}:${sms}`).toString('base64url') } } },
  { key: 'bad-input', request: { query: `{ message(workspaceId: "x", channelId: "y", messageId: "z") { messageId } }`, variables: {} } },
];
const cases = [...operations().filter((o) => o.key !== 'send').map((o) => ({ key: o.key, request: o.ours })), ...extra];

async function run(app: typeof plain, request: GraphQLRequest): Promise<string> {
  const res = await app.fetch('http://jit/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  return res.text();
}
const normalize = (s: string) => JSON.stringify(JSON.parse(s));

let same = true;
for (const c of cases) {
  const [a, b] = [normalize(await run(plain, c.request)), normalize(await run(jit, c.request))];
  if (a !== b) {
    same = false;
    console.log(`DIFFERENT ${c.key}\n  plain: ${a.slice(0, 400)}\n  jit:   ${b.slice(0, 400)}`);
  } else console.log(`same     ${c.key} (${a.length} bytes${a.includes('"errors"') ? ', with errors' : ''})`);
}

const rounds = 3;
const n = 1500;
for (const c of cases.slice(0, 4)) {
  const per: Record<string, number[]> = { plain: [], jit: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, app] of (r % 2 === 0 ? [['plain', plain], ['jit', jit]] : [['jit', jit], ['plain', plain]]) as [string, typeof plain][]) {
      const count = c.key === 'page50' ? n / 5 : n;
      for (let i = 0; i < 200; i++) await run(app, c.request);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < count; i++) await run(app, c.request);
      per[name]!.push(Number(process.hrtime.bigint() - t0) / 1000 / count);
    }
  }
  const p = median(per.plain!);
  const j = median(per.jit!);
  console.log(`${c.key.padEnd(9)} plain ${(p / 1000).toFixed(3)} ms/op, jit ${(j / 1000).toFixed(3)} ms/op, jit saves ${((p - j) / 1000).toFixed(3)} ms (${(((p - j) / p) * 100).toFixed(1)} %)`);
}
console.log(same ? 'All answers identical.' : 'Answers DIFFER: graphql-jit is not safe on this schema as is.');
await bird.close();
await pool.close();
await emulator.close();
