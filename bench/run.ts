// `npm run bench [-- --quick] [-- --graphql-js] [-- --no-peer] [-- --no-<section>] [-- --only <section,…>] [-- --rounds N]`
//
// Starts the emulator (rate limits off), our server (NODE_ENV=production), a bare yoga hello world and the peer
// (Hive Gateway over the emulator's OpenAPI document) as separate processes, then, interleaved over rounds:
// the µs latency probe and throughput at c=10 for every operation and target; an upstream call count per operation;
// RSS of our server over a sustained run; CPU profiles; the burst scenario (a second emulator with Bird's rate limits
// and our server with its pacing on); the coalesced scenario (100 identical concurrent queries); the live section
// (1,000 SSE subscribers over 2 replicas and Redis). Sections: probes, rss, profile, burst, coalesced, live.
// Writes bench/results/latest.{json,md} and prints the tables, the targets last.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'undici';
import { SEED } from '../src/emulator/seed.ts';
import {
  type HttpRequestSpec,
  type ProbeResult,
  type Task,
  type ThroughputResult,
  generate,
  hasWrk,
  httpTask,
  median,
  probe,
  rssMiB,
  slope,
  wrk,
} from './lib/measure.ts';
import { ACCESS_KEY, type GraphQLRequest, HELLO, type Operation, PEER_HEADERS, fixture, operations, prepare } from './lib/operations.ts';
import { type Child, OURS_SCRIPT, ROOT, buildOurs, freePort, oursEnv, startChild } from './lib/processes.ts';
import { type ProfileRow, summarizeProfile } from './lib/profile.ts';
import { type LiveResult, type LiveSettings, liveReport, runLive } from './lib/live.ts';
import { type BurstPhase, type CoalescedResult, burstReport, coalescedReport, controlOf, runBurst, runCoalesced } from './lib/scenarios.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const quick = flag('quick');
const roundsArg = argv.indexOf('--rounds');
const SECTIONS = ['probes', 'rss', 'profile', 'burst', 'coalesced', 'live'] as const;
type Section = (typeof SECTIONS)[number];
const onlyArg = argv.indexOf('--only');
const only = onlyArg !== -1 ? new Set((argv[onlyArg + 1] ?? '').split(',')) : null;
if (only) for (const name of only) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only: unknown section ${name} (${SECTIONS.join(', ')})`);
/** A section runs unless `--no-<section>` is given or `--only` leaves it out. */
const runs = (section: Section) => !flag(`no-${section}`) && (only === null || only.has(section));
const S = {
  rounds: roundsArg !== -1 ? Number(argv[roundsArg + 1]) : quick ? 1 : 3,
  warmup: quick ? 300 : 1000,
  count: quick ? 1000 : 3000,
  probeMaxMs: quick ? 3000 : 8000,
  wrkWarm: quick ? 1 : 2,
  wrkSeconds: quick ? 2 : 5,
  concurrency: 10,
  probes: runs('probes'),
  rssSeconds: runs('rss') ? (quick ? 20 : 120) : 0,
  rssEveryMs: 5000,
  profile: runs('profile') && !quick,
  profileSeconds: 8,
  peer: !flag('no-peer') && runs('probes'),
  /** Burst: `spike` requests at once, then `clients` closed-loop clients for `seconds`, over Bird's 50 GET/s. */
  burst: runs('burst') ? { spike: quick ? 100 : 200, clients: quick ? 25 : 50, seconds: quick ? 4 : 10 } : null,
  /** Coalesced: `clients` identical queries, in `waves` sent at once, then closed loop for `seconds`. */
  coalesced: runs('coalesced') ? { clients: 100, waves: quick ? 5 : 20, seconds: quick ? 3 : 10 } : null,
  live: runs('live')
    ? ({ subscribers: 1000, workers: 4, samples: quick ? 15 : 60, driveSeconds: quick ? 5 : 15, driveConcurrency: 8, driveWindow: 32 } satisfies LiveSettings)
    : null,
  /** Also measure ours with compiled execution off (GRAPHQL_JIT=false): what graphql-jit gives, over HTTP. */
  graphqlJs: flag('graphql-js'),
};
const RESULTS = join(ROOT, 'bench', 'results');
/** Our server's memory budget under the sustained run (issue 14: < 200 MiB steady). */
const RSS_BUDGET_MIB = 200;
const log = (line: string) => process.stderr.write(`${line}\n`);

type TargetName = 'floor' | 'ours' | 'ours-graphql-js' | 'peer' | 'hello';
interface Cell {
  probe: ProbeResult;
  throughput: ThroughputResult;
}
interface Counted {
  calls: number;
  routes: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------------------------

const children: Child[] = [];
async function stopAll(): Promise<void> {
  await Promise.all(children.splice(0).map((c) => c.stop()));
}
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

async function startOurs(name: string, emulatorUrl: string, extra: Record<string, string> = {}, nodeArgs: string[] = [], pacing = false): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild({
    name,
    script: OURS_SCRIPT,
    tsx: false,
    env: oursEnv(emulatorUrl, port, extra, pacing),
    nodeArgs,
    ready: { kind: 'poll', url, path: '/health' },
  });
  children.push(child);
  return child;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

function graphqlSpec(base: string, request: GraphQLRequest, headers: Record<string, string> = {}): HttpRequestSpec {
  return {
    url: `${base}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(request),
  };
}

/** Throws on GraphQL errors, so a probe counts an error answer as a failure, not as a fast success. */
function graphqlCheck(body: string): void {
  if (body.includes('"errors"')) throw new Error(body.slice(0, 300));
}

async function postGraphQL(spec: HttpRequestSpec): Promise<Record<string, any>> {
  const res = await fetch(spec.url, { method: 'POST', headers: spec.headers, body: spec.body });
  const json = (await res.json()) as { data?: Record<string, any>; errors?: unknown };
  if (json.errors || !json.data) throw new Error(`${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  await buildOurs(); // ours runs as production does: the esbuild bundle, not tsx
  const useWrk = hasWrk();
  log(`bench: ${quick ? 'quick' : 'full'} mode, ${S.rounds} round(s), throughput with ${useWrk ? 'wrk -t1 -c10' : 'the in-process undici generator (wrk not found), c=10'}`);

  // --- processes ------------------------------------------------------------------------------------------------
  const emulator = await startChild({ name: 'emulator', script: 'bench/emulator.ts', env: { BENCH_COUNT: '1' }, ready: { kind: 'line' } });
  children.push(emulator);
  const control = emulator.info.controlUrl as string;
  const resetLog = async () => void (await fetch(`${control}/reset`, { method: 'POST' })).arrayBuffer();
  const readLog = async () => (await (await fetch(`${control}/requests`)).json()) as { method: string; route: string }[];

  const ours = await startOurs('ours', emulator.url);
  const oursJs = S.graphqlJs ? await startOurs('ours-graphql-js', emulator.url, { GRAPHQL_JIT: 'false' }) : undefined;
  const hello = await startChild({ name: 'hello', script: 'bench/hello.ts', env: { NODE_ENV: 'production', PORT: String(await freePort()) }, ready: { kind: 'line' } });
  children.push(hello);
  let peer: Child | undefined;
  let peerError: string | undefined;
  if (S.peer) {
    try {
      peer = await startChild({
        name: 'peer',
        script: 'bench/peer.ts',
        env: { NODE_ENV: 'production', EMULATOR_URL: emulator.url, BIRD_ACCESS_KEY: ACCESS_KEY, PORT: String(await freePort()) },
        ready: { kind: 'line' },
        timeoutMs: 120_000,
      });
      children.push(peer);
    } catch (error) {
      peerError = (error as Error).message;
      log(`bench: the peer did not start: ${peerError}`);
    }
  }
  log(`bench: emulator ${emulator.url}, ours ${ours.url}${oursJs ? `, ours-graphql-js ${oursJs.url}` : ''}, hello ${hello.url}, peer ${peer?.url ?? 'n/a'}`);

  const floorPool = new Pool(emulator.url, { connections: 16 });
  await prepare(floorPool);
  const ops = operations();

  // --- targets per operation --------------------------------------------------------------------------------------
  type Target = { name: TargetName; spec?: HttpRequestSpec; floor?: (pool: Pool) => Promise<number> };
  const targetsOf = (op: Operation): Target[] => {
    const list: Target[] = [{ name: 'floor', floor: op.floor }, { name: 'ours', spec: graphqlSpec(ours.url, op.ours) }];
    if (oursJs) list.push({ name: 'ours-graphql-js', spec: graphqlSpec(oursJs.url, op.ours) });
    if (peer && !peerFailures[op.key]) list.push({ name: 'peer', spec: graphqlSpec(peer.url, op.peer, PEER_HEADERS) });
    return list;
  };

  // --- sanity: every target answers every operation with the data ---------------------------------------------------
  const peerFailures: Record<string, string> = {};
  for (const op of ops) {
    await op.floor(floorPool);
    op.check('ours', await postGraphQL(graphqlSpec(ours.url, op.ours)));
    if (oursJs) op.check('ours', await postGraphQL(graphqlSpec(oursJs.url, op.ours)));
    if (peer) {
      try {
        op.check('peer', await postGraphQL(graphqlSpec(peer.url, op.peer, PEER_HEADERS)));
      } catch (error) {
        peerFailures[op.key] = (error as Error).message;
        log(`bench: the peer cannot answer ${op.key}: ${peerFailures[op.key]}`);
      }
    }
  }
  await postGraphQL(graphqlSpec(hello.url, HELLO));

  // --- upstream calls per operation (one warm execution each) -------------------------------------------------------
  const counts: Record<string, Partial<Record<TargetName, Counted>>> = {};
  for (const op of ops) {
    counts[op.key] = {};
    for (const target of targetsOf(op)) {
      await resetLog();
      if (target.floor) await target.floor(floorPool);
      else await postGraphQL(target.spec!);
      await new Promise((r) => setTimeout(r, 20));
      const entries = await readLog();
      const routes: Record<string, number> = {};
      for (const e of entries) routes[e.route] = (routes[e.route] ?? 0) + 1;
      counts[op.key]![target.name] = { calls: entries.length, routes };
    }
  }
  await resetLog();
  log('bench: upstream calls counted');

  // --- interleaved rounds -----------------------------------------------------------------------------------------
  const cells: Record<string, Partial<Record<TargetName, Cell[]>>> = { hello: {} };
  for (const op of ops) cells[op.key] = {};

  const measure = async (target: Target | { name: 'hello'; spec: HttpRequestSpec }): Promise<Cell> => {
    if ('floor' in target && target.floor) {
      const floor = target.floor;
      const task: Task = async () => void (await floor(floorPool));
      const p = await probe(task, S.warmup, S.count, S.probeMaxMs);
      await generate(task, S.concurrency, S.wrkWarm);
      const t = await generate(task, S.concurrency, S.wrkSeconds);
      return { probe: p, throughput: t };
    }
    const spec = target.spec!;
    const client = new Client(new URL(spec.url).origin, { pipelining: 1 });
    try {
      const task = httpTask(client, spec, graphqlCheck);
      const p = await probe(task, S.warmup, S.count, S.probeMaxMs);
      let t: ThroughputResult;
      if (useWrk) {
        t = await wrk([spec], S.wrkWarm, S.wrkSeconds, S.concurrency);
      } else {
        const pool = new Pool(new URL(spec.url).origin, { connections: S.concurrency });
        const loadTask = httpTask(pool as unknown as Client, spec, graphqlCheck);
        await generate(loadTask, S.concurrency, S.wrkWarm);
        t = await generate(loadTask, S.concurrency, S.wrkSeconds);
        await pool.close();
      }
      return { probe: p, throughput: t };
    } finally {
      await client.close();
    }
  };

  for (let round = 0; round < (S.probes ? S.rounds : 0); round++) {
    const helloAt = round % ops.length;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const targets = targetsOf(op);
      // Rotate the order every round so no target always runs first (or right after a heavy one).
      const rotated = targets.map((_, k) => targets[(k + round + i) % targets.length]!);
      for (const target of rotated) {
        const cell = await measure(target);
        (cells[op.key]![target.name] ??= []).push(cell);
        await resetLog();
        log(
          `round ${round + 1}/${S.rounds} ${op.key.padEnd(8)} ${target.name.padEnd(8)} p50 ${(cell.probe.p50 / 1000).toFixed(3)} ms  p99 ${(cell.probe.p99 / 1000).toFixed(3)} ms  n=${cell.probe.samples.length}  ${cell.throughput.rps.toFixed(0)} req/s${cell.probe.errors + cell.throughput.errors > 0 ? `  ERRORS ${cell.probe.errors}+${cell.throughput.errors}` : ''}`,
        );
      }
      if (i === helloAt) {
        const cell = await measure({ name: 'hello', spec: graphqlSpec(hello.url, HELLO) });
        (cells.hello!.hello ??= []).push(cell);
        log(`round ${round + 1}/${S.rounds} hello    hello    p50 ${(cell.probe.p50 / 1000).toFixed(3)} ms  ${cell.throughput.rps.toFixed(0)} req/s`);
      }
    }
  }

  // --- RSS of our server over a sustained run ------------------------------------------------------------------------
  const rss: { t: number; mib: number }[] = [];
  let rssRps = Number.NaN;
  if (S.rssSeconds > 0) {
    log(`bench: sustained load on ours for ${S.rssSeconds} s (all operations in turn, c=10), RSS every ${S.rssEveryMs / 1000} s`);
    const specs = ops.map((op) => graphqlSpec(ours.url, op.ours));
    const t0 = Date.now();
    rss.push({ t: 0, mib: rssMiB(ours.proc.pid!) });
    const timer = setInterval(() => rss.push({ t: (Date.now() - t0) / 1000, mib: rssMiB(ours.proc.pid!) }), S.rssEveryMs);
    let result: ThroughputResult;
    if (useWrk) {
      result = await wrk(specs, 0, S.rssSeconds, S.concurrency);
    } else {
      const pool = new Pool(ours.url, { connections: S.concurrency });
      let k = 0;
      const tasks = specs.map((s) => httpTask(pool as unknown as Client, s, graphqlCheck));
      result = await generate(() => tasks[k++ % tasks.length]!(), S.concurrency, S.rssSeconds);
      await pool.close();
    }
    clearInterval(timer);
    rss.push({ t: (Date.now() - t0) / 1000, mib: rssMiB(ours.proc.pid!) });
    rssRps = result.rps;
    await resetLog();
  }

  // --- CPU profiles of our server ---------------------------------------------------------------------------------
  const profiles: { op: string; functions: ProfileRow[]; packages: ProfileRow[]; totalMs: number }[] = [];
  if (S.profile) {
    for (const key of ['message', 'page50']) {
      const op = ops.find((o) => o.key === key)!;
      const dir = join(RESULTS, `prof-${key}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const prof = await startOurs(`ours-prof-${key}`, emulator.url, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const spec = graphqlSpec(prof.url, op.ours);
      if (useWrk) await wrk([spec], 1, S.profileSeconds, S.concurrency);
      else {
        const pool = new Pool(prof.url, { connections: S.concurrency });
        await generate(httpTask(pool as unknown as Client, spec, graphqlCheck), S.concurrency, S.profileSeconds);
        await pool.close();
      }
      await prof.stop();
      children.splice(children.indexOf(prof), 1);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file) profiles.push({ op: key, ...summarizeProfile(join(dir, file), 15, S.profileSeconds * 1000) });
      log(`bench: profiled ${key}${file ? '' : ' (no profile written)'}`);
    }
  }

  // --- coalesced: 100 identical concurrent queries ------------------------------------------------------------------
  let coalesced: CoalescedResult | undefined;
  if (S.coalesced) {
    const op = ops.find((o) => o.key === 'message')!;
    log(`bench: coalesced, ${S.coalesced.clients} clients × the same message query`);
    coalesced = await runCoalesced({ oursUrl: ours.url, control: controlOf(control), request: op.ours, ...S.coalesced });
    log(`bench: coalesced ${coalesced.waveCalls} calls for ${coalesced.waveQueries} queries in waves; ${coalesced.loopCalls} for ${coalesced.loopQueries} in the loop (${coalesced.loopRps.toFixed(0)} req/s)`);
  }

  await floorPool.close();
  await stopAll();

  // --- burst: Bird's rate limits on the emulator, our pacing on ---------------------------------------------------------
  let burst: BurstPhase[] | undefined;
  if (S.burst) {
    const limited = await startChild({ name: 'emulator-bird-limits', script: 'bench/emulator.ts', env: { BENCH_COUNT: '1', BENCH_RATE_LIMITS: 'bird' }, ready: { kind: 'line' } });
    children.push(limited);
    const paced = await startOurs('ours-paced', limited.url, {}, [], true);
    const ws = SEED.workspaces.main.id;
    const ch = SEED.channels.sms.id;
    const list = (await (
      await fetch(`${limited.url}/workspaces/${ws}/channels/${ch}/messages?limit=1000`, { headers: { authorization: `AccessKey ${ACCESS_KEY}` } })
    ).json()) as { results: { id: string }[] };
    const query = ops.find((o) => o.key === 'message')!.ours;
    log(`bench: burst over ${list.results.length} distinct messages, emulator limits on (50 GET/s), pacing on`);
    burst = await runBurst({
      oursUrl: paced.url,
      control: controlOf(limited.info.controlUrl as string),
      request: (id) => ({ query: query.query, variables: { ...query.variables, id } }),
      messageIds: list.results.map((m) => m.id),
      ...S.burst,
    });
    for (const p of burst) log(`bench: burst ${p.name}: ${p.errors} errors, ${p.served429} 429s, p99 ${p.p99Ms.toFixed(0)} ms, most GETs in 1 s ${p.maxGetsPerSecond}`);
    await stopAll();
  }

  // --- live: SSE subscribers over 2 replicas and Redis -------------------------------------------------------------------
  let live: Awaited<ReturnType<typeof runLive>> | undefined;
  if (S.live) {
    log(`bench: live, ${S.live.subscribers} SSE subscribers over 2 replicas (the build) and one redis-server`);
    live = await runLive(S.live, log);
    if ('skipped' in live && live.skipped) log(`bench: live SKIPPED: ${live.skipped}`);
  }

  // --- report -------------------------------------------------------------------------------------------------------
  const report = buildReport({ ops, cells, counts, rss, rssRps, profiles, burst, coalesced, live, peerError, peerFailures, useWrk, seconds: (Date.now() - started) / 1000 });
  writeFileSync(join(RESULTS, 'latest.md'), report.markdown);
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(report.json, null, 2));
  process.stdout.write(report.markdown);
  log(`bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s; bench/results/latest.md and latest.json written`);
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function machine(useWrk: boolean): string[] {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  let wrkVersion = 'not used';
  if (useWrk) {
    try {
      wrkVersion = execFileSync('wrk', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0] ?? '';
    } catch (error) {
      wrkVersion = String((error as { stdout?: string }).stdout ?? '').split('\n')[0] ?? 'wrk';
    }
  }
  const pkgs = [
    'graphql',
    'graphql-yoga',
    '@pothos/core',
    'undici',
    'tsx',
    '@graphql-hive/gateway-runtime',
    '@omnigraph/openapi',
    '@graphql-mesh/transport-rest',
    '@graphql-mesh/compose-cli',
    'graphql-jit',
  ];
  return [
    `- CPUs: ${availableParallelism()} × ${cpu}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${process.platform} ${process.arch}`,
    `- Node ${process.version}; load: ${useWrk ? wrkVersion.trim() : 'in-process undici generator (wrk not installed)'}`,
    `- ${pkgs.map((p) => `${p} ${versionOf(p)}`).join(', ')}`,
  ];
}

const ms = (us: number) => (Number.isFinite(us) ? (us / 1000).toFixed(3) : 'n/a');
const signedMs = (us: number) => (Number.isFinite(us) ? `${us >= 0 ? '+' : '−'}${Math.abs(us / 1000).toFixed(3)}` : 'n/a');
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const rps = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

function buildReport(input: {
  ops: Operation[];
  cells: Record<string, Partial<Record<TargetName, Cell[]>>>;
  counts: Record<string, Partial<Record<TargetName, Counted>>>;
  rss: { t: number; mib: number }[];
  rssRps: number;
  profiles: { op: string; functions: ProfileRow[]; packages: ProfileRow[]; totalMs: number }[];
  burst: BurstPhase[] | undefined;
  coalesced: CoalescedResult | undefined;
  live: LiveResult | { skipped: string; settings: LiveSettings } | undefined;
  peerError: string | undefined;
  peerFailures: Record<string, string>;
  useWrk: boolean;
  seconds: number;
}) {
  const { ops, cells, counts } = input;
  const lines: string[] = [];
  const json: Record<string, unknown> = { settings: { ...S, quick }, ops: {} };
  const helloCells = cells.hello?.hello ?? [];
  const helloRps = median(helloCells.map((c) => c.throughput.rps));
  const helloP50 = median(helloCells.map((c) => c.probe.p50));

  lines.push(`# Benchmark run (${new Date().toISOString()}, ${quick ? 'quick' : 'full'} mode, ${S.rounds} round(s), ${input.seconds.toFixed(0)} s)`, '');
  lines.push(...machine(input.useWrk), '');
  lines.push(
    `Latency: one undici Client per target, ${S.warmup} warm-up + up to ${S.count} sequential requests (capped at ${S.probeMaxMs / 1000} s), process.hrtime.bigint(). ` +
      `Throughput: ${input.useWrk ? `wrk -t1 -c${S.concurrency} -d${S.wrkSeconds}s after a ${S.wrkWarm} s warm-up` : `undici generator, c=${S.concurrency}, ${S.wrkSeconds} s after a ${S.wrkWarm} s warm-up`}; ` +
      `the floor's throughput always comes from the in-process undici generator (c=${S.concurrency} operations in flight, each doing the optimal calls). ` +
      'Medians over rounds; "added" = the median over rounds of (target − floor) in the same round. Emulator rate limits off.',
    '',
  );
  lines.push(`Ceiling (bare yoga \`{ hello }\`): p50 ${ms(helloP50)} ms, ${rps(helloRps)} req/s.`, '');

  // Latency + throughput per operation
  lines.push('## Latency and throughput', '');
  lines.push('| Operation | Target | p50 ms | p90 ms | p99 ms | added p50 | added p90 | added p99 | req/s | × floor | × hello | ours ÷ peer |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  const summary: Record<string, Record<string, Record<string, number>>> = {};
  for (const op of ops) {
    const byTarget = cells[op.key] ?? {};
    const floor = byTarget.floor ?? [];
    const peerRps = median((byTarget.peer ?? []).map((c) => c.throughput.rps));
    summary[op.key] = {};
    for (const name of ['floor', 'ours', 'ours-graphql-js', 'peer'] as TargetName[]) {
      const list = byTarget[name];
      if (!list || list.length === 0) continue;
      const added = (k: 'p50' | 'p90' | 'p99') => median(list.map((c, r) => c.probe[k] - (floor[r]?.probe[k] ?? Number.NaN)));
      const row = {
        p50: median(list.map((c) => c.probe.p50)),
        p90: median(list.map((c) => c.probe.p90)),
        p99: median(list.map((c) => c.probe.p99)),
        addedP50: name === 'floor' ? 0 : added('p50'),
        addedP90: name === 'floor' ? 0 : added('p90'),
        addedP99: name === 'floor' ? 0 : added('p99'),
        rps: median(list.map((c) => c.throughput.rps)),
        samples: median(list.map((c) => c.probe.samples.length)),
        errors: list.reduce((a, c) => a + c.probe.errors + c.throughput.errors, 0),
      };
      const floorRps = median(floor.map((c) => c.throughput.rps));
      summary[op.key]![name] = { ...row, xFloor: row.rps / floorRps, xHello: row.rps / helloRps, xPeer: row.rps / peerRps };
      lines.push(
        `| ${op.title} | ${name}${row.errors > 0 ? ` (${row.errors} errors)` : ''}${row.samples < S.count ? ` (n=${row.samples})` : ''} | ${ms(row.p50)} | ${ms(row.p90)} | ${ms(row.p99)} | ` +
          `${name === 'floor' ? '—' : signedMs(row.addedP50)} | ${name === 'floor' ? '—' : signedMs(row.addedP90)} | ${name === 'floor' ? '—' : signedMs(row.addedP99)} | ` +
          `${rps(row.rps)} | ${ratio(row.rps / floorRps)} | ${ratio(row.rps / helloRps)} | ${name.startsWith('ours') ? ratio(row.rps / peerRps) : '—'} |`,
      );
    }
  }
  lines.push('');

  // Upstream calls
  lines.push('## Upstream calls per operation (one warm execution, counted by the emulator)', '');
  lines.push('| Operation | Optimum | floor | ours | peer | ours by route |');
  lines.push('|---|---|---|---|---|---|');
  for (const op of ops) {
    const c = counts[op.key] ?? {};
    const routes = Object.entries(c.ours?.routes ?? {})
      .map(([r, n]) => `${n}× ${r}`)
      .join('; ');
    lines.push(
      `| ${op.title} | ${op.optimum} | ${c.floor?.calls ?? 'n/a'} | ${c.ours?.calls ?? 'n/a'}${c['ours-graphql-js'] ? ` (graphql-js ${c['ours-graphql-js'].calls})` : ''} | ${c.peer?.calls ?? 'n/a'} | ${routes} |`,
    );
  }
  lines.push('');

  // RSS
  if (input.rss.length > 0) {
    const xs = input.rss.map((s) => s.t);
    const ys = input.rss.map((s) => s.mib);
    const half = input.rss.filter((s) => s.t >= S.rssSeconds / 2);
    const perMin = slope(xs, ys) * 60;
    const perMinSecondHalf = slope(
      half.map((s) => s.t),
      half.map((s) => s.mib),
    ) * 60;
    lines.push(`## RSS of our server, ${S.rssSeconds} s sustained load (all operations in turn, c=${S.concurrency}, ${rps(input.rssRps)} req/s)`, '');
    const steadyMax = Math.max(...half.map((s) => s.mib));
    lines.push('| start MiB | end MiB | max MiB | max, second half (steady) | slope (whole run) | slope (second half) |');
    lines.push('|---|---|---|---|---|---|');
    lines.push(
      `| ${ys[0]!.toFixed(1)} | ${ys.at(-1)!.toFixed(1)} | ${Math.max(...ys).toFixed(1)} | ${steadyMax.toFixed(1)} | ${perMin.toFixed(2)} MiB/min | ${perMinSecondHalf.toFixed(2)} MiB/min |`,
    );
    lines.push('', `Samples (s: MiB): ${input.rss.map((s) => `${s.t.toFixed(0)}: ${s.mib.toFixed(1)}`).join(', ')}`, '');
    json.rss = { samples: input.rss, perMin, perMinSecondHalf, steadyMax, rps: input.rssRps };
  }

  // Profiles
  for (const p of input.profiles) {
    lines.push(`## CPU profile of our server under \`${p.op}\` (c=${S.concurrency}, ${S.profileSeconds} s): top self time`, '');
    lines.push('| Function | self ms | share of busy |', '|---|---|---|');
    for (const row of p.functions) lines.push(`| \`${row.name}\` | ${row.selfMs.toFixed(0)} | ${(row.share * 100).toFixed(1)} % |`);
    lines.push('', '| Package | self ms | share of busy |', '|---|---|---|');
    for (const row of p.packages) lines.push(`| ${row.name} | ${row.selfMs.toFixed(0)} | ${(row.share * 100).toFixed(1)} % |`);
    lines.push('');
  }

  // Sections beyond the probes
  if (input.coalesced) {
    lines.push(...coalescedReport(input.coalesced));
    json.coalesced = input.coalesced;
  }
  if (input.burst) {
    lines.push(...burstReport(input.burst, 50));
    json.burst = input.burst;
  }
  if (input.live) {
    lines.push(...liveReport(input.live));
    json.live = input.live;
  }

  // Targets (issue 14), each from this run's own figures; a target this run did not measure is n/a, never met.
  const t = summary;
  const single = ['message', 'channels', 'filtered', 'send'];
  const status = (ok: boolean | undefined) => (ok === undefined ? 'n/a (not measured)' : ok ? 'met' : '**NOT met**');
  /** `ok` over every value, undefined when any is missing (NaN). */
  const every = (values: number[], test: (x: number) => boolean) => (values.length === 0 || values.some((x) => !Number.isFinite(x)) ? undefined : values.every(test));
  const targets: { target: string; measured: string; ok: boolean | undefined }[] = [];
  const opsOurs = (key: string) => t[key]?.ours;
  const xHello = single.map((k) => opsOurs(k)?.xHello ?? Number.NaN);
  targets.push({ target: 'Single-call operations ≥ 0.9× the bare yoga hello world (each)', measured: single.map((k, i) => `${k} ${ratio(xHello[i]!)}`).join(', '), ok: every(xHello, (x) => x >= 0.9) });
  const msg = opsOurs('message');
  targets.push({ target: 'Added p50 ≤ 0.4 ms over the floor (message by id)', measured: `${signedMs(msg?.addedP50 ?? Number.NaN)} ms`, ok: every([msg?.addedP50 ?? Number.NaN], (x) => x <= 400) });
  targets.push({ target: 'Added p99 ≤ 2.5 ms over the floor (message by id)', measured: `${signedMs(msg?.addedP99 ?? Number.NaN)} ms`, ok: every([msg?.addedP99 ?? Number.NaN], (x) => x <= 2500) });
  const addedP50s = single.map((k) => opsOurs(k)?.addedP50 ?? Number.NaN);
  const addedP99s = single.map((k) => opsOurs(k)?.addedP99 ?? Number.NaN);
  targets.push({ target: 'Added p50 ≤ 0.4 ms, every single-call operation', measured: single.map((k, i) => `${k} ${signedMs(addedP50s[i]!)}`).join(', '), ok: every(addedP50s, (x) => x <= 400) });
  targets.push({ target: 'Added p99 ≤ 2.5 ms, every single-call operation', measured: single.map((k, i) => `${k} ${signedMs(addedP99s[i]!)}`).join(', '), ok: every(addedP99s, (x) => x <= 2500) });
  const page = opsOurs('page50');
  targets.push({ target: 'Page of 50 (channel + senders): added p50 ≤ 0.6 ms', measured: `${signedMs(page?.addedP50 ?? Number.NaN)} ms`, ok: every([page?.addedP50 ?? Number.NaN], (x) => x <= 600) });
  const xPeer = ops.map((o) => opsOurs(o.key)?.xPeer ?? Number.NaN);
  targets.push({ target: '≥ 3× the peer (Hive Gateway + OpenAPI) throughput, every operation, same run', measured: ops.map((o, i) => `${o.key} ${ratio(xPeer[i]!)}`).join(', '), ok: every(xPeer, (x) => x >= 3) });
  const callValues = ops.map((o) => counts[o.key]?.ours?.calls ?? Number.NaN);
  const callsOk = every(callValues, () => true) === undefined ? undefined : ops.every((o) => counts[o.key]?.ours?.calls === counts[o.key]?.floor?.calls);
  targets.push({ target: 'Upstream calls = the optimum (the floor), every operation', measured: ops.map((o) => `${o.key} ${counts[o.key]?.ours?.calls ?? 'n/a'}/${counts[o.key]?.floor?.calls ?? 'n/a'}`).join(', '), ok: callsOk });
  const rssRun = json.rss as { perMinSecondHalf: number; steadyMax: number } | undefined;
  const rssWhat = S.rssSeconds >= 120 ? 'the 2-minute run' : `a ${S.rssSeconds} s run (quick; the target is over 2 minutes)`;
  targets.push({ target: `RSS flat over ${rssWhat}: second-half slope < 1 MiB/min`, measured: rssRun ? `${rssRun.perMinSecondHalf.toFixed(2)} MiB/min` : 'n/a', ok: rssRun ? rssRun.perMinSecondHalf < 1 : undefined });
  targets.push({ target: `RSS steady < ${RSS_BUDGET_MIB} MiB (largest sample of the second half)`, measured: rssRun ? `${rssRun.steadyMax.toFixed(1)} MiB` : 'n/a', ok: rssRun ? rssRun.steadyMax < RSS_BUDGET_MIB : undefined });
  const b = input.burst;
  targets.push({ target: 'Burst over 50 GET/s: 0 429s served by the emulator', measured: b ? b.map((p) => `${p.name.split(':')[0]} ${p.served429}`).join(', ') : 'n/a', ok: b ? b.every((p) => p.served429 === 0) : undefined });
  targets.push({ target: 'Burst over 50 GET/s: 0 errors', measured: b ? b.map((p) => `${p.name.split(':')[0]} ${p.errors} (p99 ${p.p99Ms.toFixed(0)} ms)`).join(', ') : 'n/a', ok: b ? b.every((p) => p.errors === 0) : undefined });
  const c = input.coalesced;
  targets.push({
    target: `Coalesced: ${c?.clients ?? 100} identical concurrent queries cost 1 call per distinct GET (each wave = 1 call)`,
    measured: c ? `${c.waveCalls} calls for ${c.waves} waves (worst wave ${c.worstWaveCalls}; ${(c.waveCalls / c.waveQueries).toFixed(4)} calls/query; closed loop ${(c.loopCalls / Math.max(1, c.loopQueries)).toFixed(4)})` : 'n/a',
    ok: c ? c.worstWaveCalls === 1 && c.waveErrors === 0 : undefined,
  });
  lines.push('## Targets (issue 14)', '');
  lines.push('| Target | Measured | Status |', '|---|---|---|');
  for (const row of targets) lines.push(`| ${row.target} | ${row.measured} | ${status(row.ok)} |`);
  json.targets = targets;
  lines.push('');
  if (input.peerError) lines.push(`The peer did not start: \`${input.peerError.slice(0, 500)}\``, '');
  for (const [k, e] of Object.entries(input.peerFailures)) lines.push(`The peer cannot answer ${k}: \`${e.slice(0, 300)}\``, '');

  json.summary = summary;
  json.counts = counts;
  json.hello = { rps: helloRps, p50: helloP50 };
  json.profiles = input.profiles;
  json.peerError = input.peerError;
  json.peerFailures = input.peerFailures;
  json.fixture = fixture;
  return { markdown: `${lines.join('\n')}\n`, json };
}

main().catch(async (error: unknown) => {
  log(`bench failed: ${(error as Error).stack ?? String(error)}`);
  for (const c of children) if (c.stderr()) log(`--- ${c.name} stderr (tail) ---\n${c.stderr().slice(-1500)}`);
  await stopAll();
  process.exit(1);
});
