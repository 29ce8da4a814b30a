// `npx tsx bench/instructions.ts [op …] [--target ours|hello|emulator] [--bundle path] [--node-args '[…]']
// [--warmup N] [--count N] [--env '{"K":"V"}'] [--label text]`: CPU instructions per request, immune to the noise of
// a shared machine.
// Our server runs as production starts it (scripts/start.mjs → dist/server.mjs, or a given bundle) under valgrind's
// callgrind; for each canonical operation (bench/lib/operations.ts) it gets `warmup` sequential requests (V8 tiers
// up), then its counters are zeroed, `count` more requests are sent and the counters dumped: instructions ÷ count (a
// fifth of both for the page of 50). Everything the server process executes is counted (HTTP parsing, yoga,
// execution, the Bird client, GC, logging, metrics); the emulator and the load generator run outside valgrind.
// Columns: every thread; the main thread; the main thread less its garbage collections (Heap::CollectGarbage,
// inclusive), the steadiest figure for a before/after: whole major collections falling in or out of the window move
// the other two by several percent between identical runs. KEEP_CALLGRIND=1 keeps the dumps (one file per thread) for
// callgrind_annotate.
// `--target hello` measures bare yoga `{ hello }` (bench/hello.ts) the same way, `--target emulator` the emulator
// answering each operation's floor calls: what the ratios of `npm run bench` are made of.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'undici';
import { httpTask } from './lib/measure.ts';
import { type GraphQLRequest, HELLO, operations, prepare } from './lib/operations.ts';
import { OURS_SCRIPT, buildOurs, freePort, oursEnv, startChild } from './lib/processes.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (argv.splice(i, 2)[1] ?? fallback);
};
const warmup = Number(option('warmup', '1500'));
const count = Number(option('count', '1000'));
const extraEnv = JSON.parse(option('env', '{}')) as Record<string, string>;
const label = option('label', '');
const target = option('target', 'ours') as 'ours' | 'hello' | 'emulator';
/** A bundle built elsewhere (e.g. from an older commit, for a before/after), instead of building this tree's. */
const bundle = option('bundle', '');
/** Extra node flags for the measured process (a --bundle runs without scripts/start.mjs and its V8 setting). */
const nodeArgs = JSON.parse(option('node-args', '[]')) as string[];
const wanted = argv.filter((a) => !a.startsWith('--'));

const dir = mkdtempSync(join(tmpdir(), 'bench-callgrind-'));
// One dump file per thread: the main thread's count, less its garbage collections, is what a change to per-request
// work moves; GC (whose timing shifts by whole major collections between runs) and helper threads are reported apart.
const callgrind = ['valgrind', '--tool=callgrind', '--smc-check=all-non-file', '--dump-instr=no', '--separate-threads=yes', `--callgrind-out-file=${dir}/cg.out`];
if (target === 'ours' && !bundle) await buildOurs();
const emulator = await startChild({ name: 'emulator', script: 'bench/emulator.ts', env: { HOST: '127.0.0.1' }, ready: { kind: 'line' }, ...(target === 'emulator' ? { wrapper: callgrind, timeoutMs: 1_800_000 } : {}) });
const pool = new Pool(emulator.url);
await prepare(pool);
const port = await freePort();
process.once('exit', () => emulator.proc.kill('SIGKILL')); // also when the measured child never starts
const measured =
  target === 'emulator'
    ? emulator
    : target === 'hello'
      ? await startChild({ name: 'hello (callgrind)', script: 'bench/hello.ts', wrapper: callgrind, env: { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' }, ready: { kind: 'line' }, timeoutMs: 1_800_000 })
      : await startChild({
          name: 'ours (callgrind)',
          script: bundle || OURS_SCRIPT,
          tsx: false,
          nodeArgs,
          wrapper: callgrind,
          env: oursEnv(
            emulator.url,
            port,
            {
              // valgrind slows the server ~50×: Bird call timeouts that real traffic never reaches would fire here.
              BIRD_CONNECT_TIMEOUT_MS: '600000',
              BIRD_HEADERS_TIMEOUT_MS: '600000',
              BIRD_BODY_TIMEOUT_MS: '600000',
              BIRD_DEADLINE_MS: '600000',
              ...extraEnv,
            },
            // Pacing stays as shipped here, as these counts have always been taken.
            true,
          ),
          ready: { kind: 'poll', url: `http://127.0.0.1:${port}`, path: '/health' },
          timeoutMs: 1_800_000,
        });

// vgdb finds the process through files named after $USER and $HOST: every measured child gets HOST=127.0.0.1.
const control = (command: '-z' | '-d') =>
  execFileSync('callgrind_control', [command, String(measured.proc.pid)], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOST: '127.0.0.1' } });
/** V8's main-thread collections (scavenges and mark-compacts both enter here). */
const MAIN_THREAD_GC = /^v8::internal::Heap::CollectGarbage\([^)]*\)$/;
interface Counts {
  total: number;
  main: number;
  mainGc: number;
}
const totalOf = (file: string) => {
  const text = readFileSync(file, 'utf8');
  return Number(/^totals: (\d+)/m.exec(text)?.[1] ?? /^summary: (\d+)/m.exec(text)?.[1] ?? Number.NaN);
};
/** The newest dump's instructions: every thread, the main thread, and the main thread's inclusive GC. */
function lastDump(): Counts {
  const files = readdirSync(dir).filter((f) => /^cg\.out\.\d+-\d+$/.test(f));
  const part = Math.max(...files.map((f) => Number(/\.(\d+)-/.exec(f)![1])));
  const threads = files.filter((f) => Number(/\.(\d+)-/.exec(f)![1]) === part).sort();
  const main = join(dir, threads[0]!); // thread 01: the one that runs JavaScript
  const annotated = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', main], { encoding: 'utf8', maxBuffer: 1 << 28 });
  let mainGc = 0;
  for (const line of annotated.split('\n')) {
    // `  12,341,066 ( 9.00%)  ???:v8::internal::Heap::CollectGarbage(…) [/path/to/node]` (recursion levels end in 'N).
    const match = /^\s*([\d,]+) \([^)]*\)\s+\?\?\?:(.*) \[[^\]]*\]$/.exec(line);
    if (match && MAIN_THREAD_GC.test(match[2]!)) mainGc += Number(match[1]!.replaceAll(',', ''));
  }
  return { total: threads.reduce((sum, f) => sum + totalOf(join(dir, f)), 0), main: totalOf(main), mainGc };
}

const fmt = (value: number) => Math.round(value).toLocaleString('en');
const rows: { key: string; perRequest: number; main: number; mainGc: number }[] = [];
const client = new Client(measured.url, { pipelining: 1 });
const check = (body: string) => {
  if (body.includes('"errors"')) throw new Error(body.slice(0, 300));
};
const graphql = (request: GraphQLRequest) => ({
  url: `${measured.url}/graphql`,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
  body: JSON.stringify(request),
});
/** What one request is, per operation and target; the floor of the page of 50 is several calls, counted as one. */
const tasks: { key: string; task: () => Promise<unknown> }[] =
  target === 'hello'
    ? [{ key: 'hello', task: httpTask(client, graphql(HELLO), check) }]
    : operations()
        .filter((o) => wanted.length === 0 || wanted.includes(o.key))
        .map((o) => ({ key: o.key, task: target === 'emulator' ? () => o.floor(pool) : httpTask(client, graphql(o.ours), check) }));
try {
  for (const { key, task } of tasks) {
    // The page of 50 costs ~10× a single call: a fifth of the requests still averages over many GCs.
    const scale = key === 'page50' ? 5 : 1;
    for (let i = 0; i < warmup / scale; i++) await task();
    control('-z');
    for (let i = 0; i < count / scale; i++) await task();
    control('-d');
    const counts = lastDump();
    const n = count / scale;
    const row = { key, perRequest: counts.total / n, main: counts.main / n, mainGc: counts.mainGc / n };
    rows.push(row);
    process.stderr.write(`${key}: ${fmt(row.perRequest)} instructions/request (main thread ${fmt(row.main)}, of which GC ${fmt(row.mainGc)})\n`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n--- ${measured.name} stderr, tail ---\n${measured.stderr().slice(-3000)}\n`);
  process.exitCode = 1;
} finally {
  await client.close();
  if (measured !== emulator) await measured.stop();
  await emulator.stop();
  await pool.close();
  if (process.env.KEEP_CALLGRIND) process.stderr.write(`callgrind dumps kept in ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
const tag = label ? ` (${label})` : '';
console.log(`| operation | ${target} instructions/request${tag} | main thread | main thread less GC${tag} |\n|---|---|---|---|`);
for (const row of rows) console.log(`| ${row.key} | ${fmt(row.perRequest)} | ${fmt(row.main)} | ${fmt(row.main - row.mainGc)} |`);
