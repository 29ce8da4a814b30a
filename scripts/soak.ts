// `npm run soak`: our server (its production build) under a steady 80 % of its measured throughput for 5 minutes, RSS sampled and its slope reported.
//
// The emulator (rate limits off) and our server run as child processes, like the bench (bench/lib). The load is the
// bench's canonical operations plus one hostile request in ten (a bad cursor, a 5,000-deep document, a malformed key,
// an aliased introspection, an unknown Host), so error paths are soaked too. Phases:
//   1. warm-up, closed loop (SOAK_CONCURRENCY workers, 10 s);
//   2. throughput, closed loop for SOAK_MEASURE_SECONDS (20 s): T requests/s;
//   3. soak, open loop at SOAK_LOAD (0.8) × T for SOAK_SECONDS (300 s), RSS of the server read from /proc every 5 s.
// "Flat" means the slope of RSS over the soak, after its first minute (warm-up: JIT, caches filling), stays within
// SOAK_MAX_SLOPE MiB per minute (1 by default): a leak of 1 KiB per request at a few hundred requests a second shows as
// tens of MiB/min. The slope is Theil–Sen's (the median of the slopes between every two samples): RSS never gives
// memory back, so a burst (a stall of a shared machine) leaves a step that least squares reads as a trend, while a
// leak climbs between every two samples. The least-squares slope and the V8 heap's floor per minute are printed too.
// Not part of `npm test` (it takes 6 minutes); the exit code is 1 when RSS is not flat or a request failed.
import { Pool } from 'undici';
import { generate, percentile, rssMiB, slope } from '../bench/lib/measure.ts';
import { ACCESS_KEY, type GraphQLRequest, operations, prepare } from '../bench/lib/operations.ts';
import { type Child, OURS_SCRIPT, buildOurs, freePort, oursEnv, startChild } from '../bench/lib/processes.ts';
import { SEED } from '../src/emulator/seed.ts';

const env = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const S = {
  concurrency: env('SOAK_CONCURRENCY', 16),
  warmSeconds: env('SOAK_WARM_SECONDS', 10),
  measureSeconds: env('SOAK_MEASURE_SECONDS', 20),
  soakSeconds: env('SOAK_SECONDS', 300),
  load: env('SOAK_LOAD', 0.8),
  sampleMs: 5_000,
  settleSeconds: 60,
  maxSlope: env('SOAK_MAX_SLOPE', 1),
  /**
   * The most requests the open loop keeps in flight: as many as the workers that measured T. Past it a tick is counted
   * as late instead of piling up: on a shared machine a stall of the server would otherwise queue many more requests
   * and answers at once than the measurement ever held, a high-water mark RSS keeps for the rest of the run (RSS is
   * not given back) whether or not anything leaks. The V8 heap's floor per minute shows a leak either way.
   */
  maxInFlight: env('SOAK_CONCURRENCY', 16),
};

const log = (line: string) => console.log(`soak: ${line}`);

/** Theil–Sen: the median of the slopes between every two points (robust to a step, unlike least squares). */
function medianSlope(points: { t: number; mib: number }[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (points[j]!.t > points[i]!.t) slopes.push((points[j]!.mib - points[i]!.mib) / (points[j]!.t - points[i]!.t));
    }
  }
  slopes.sort((a, b) => a - b);
  return slopes.length === 0 ? Number.NaN : slopes[Math.floor(slopes.length / 2)]!;
}
const WS = SEED.workspaces.main.id;

interface Shot {
  name: string;
  headers: Record<string, string>;
  body: string;
  /** The status the answer must have (hostile requests are refused with their own). */
  status: number;
}

function graphql(name: string, request: GraphQLRequest, status = 200, headers: Record<string, string> = {}): Shot {
  return {
    name,
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `AccessKey ${ACCESS_KEY}`, ...headers },
    body: JSON.stringify(request),
    status,
  };
}

function hostile(): Shot[] {
  return [
    graphql('bad cursor', { query: `{ workspace(workspaceId: "${WS}") { channels(first: 2, after: "garbage") { edges { cursor } } } }`, variables: {} }),
    graphql('deep document', { query: `{ ${'a { '.repeat(5_000)}b${' }'.repeat(5_000)} }`, variables: {} }, 400),
    graphql('malformed key', { query: '{ __typename }', variables: {} }, 401, { authorization: 'Bearer abc' }),
    graphql('aliased introspection', { query: '{ a: __schema { queryType { name } } b: __schema { queryType { name } } }', variables: {} }),
    graphql('rebinding host', { query: '{ __typename }', variables: {} }, 421, { host: 'rebind.attacker.example' }),
  ];
}

async function main(): Promise<void> {
  const children: Child[] = [];
  const stopAll = () => Promise.all(children.splice(0).map((child) => child.stop()));
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    await buildOurs();
    const emulator = await startChild({ name: 'emulator', script: 'bench/emulator.ts', env: {}, ready: { kind: 'line' } });
    children.push(emulator);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const ours = await startChild({
      name: 'ours',
      script: OURS_SCRIPT,
      tsx: false,
      // The emulator has no rate limits here; the client's own pacing must not be what is measured.
      env: oursEnv(emulator.url, port),
      ready: { kind: 'poll', url, path: '/health' },
    });
    children.push(ours);
    const pid = ours.proc.pid!;

    const setup = new Pool(emulator.url, { connections: 2 });
    await prepare(setup);
    await setup.close();
    const shots: Shot[] = [];
    const reads = operations().filter((operation) => operation.key !== 'send');
    // Nine canonical reads for every hostile request.
    const hostiles = hostile();
    for (let i = 0; i < 9 * hostiles.length; i++) {
      const operation = reads[i % reads.length]!;
      shots.push(graphql(operation.key, operation.ours));
      if (i % 9 === 8) shots.push(hostiles[Math.floor(i / 9)]!);
    }
    const client = new Pool(url, { connections: S.maxInFlight });
    /** Failed requests by operation, with the first answer of each (what went wrong). */
    const failures = new Map<string, { count: number; first: string }>();
    const latencies: number[] = [];
    let next = 0;
    const fire = async (record: boolean): Promise<void> => {
      const shot = shots[next++ % shots.length]!;
      const started = performance.now();
      const response = await client.request({ path: '/graphql', method: 'POST', headers: shot.headers, body: shot.body });
      const text = await response.body.text();
      if (record) latencies.push(performance.now() - started);
      const ok = response.statusCode === shot.status && (shot.status !== 200 || shot.name === 'bad cursor' || shot.name === 'aliased introspection' || !text.includes('"errors"'));
      if (!ok) {
        const answer = `HTTP ${response.statusCode} ${text.slice(0, 300)}`;
        const seen = failures.get(shot.name);
        failures.set(shot.name, { count: (seen?.count ?? 0) + 1, first: seen?.first ?? answer });
        throw new Error(`${shot.name}: ${answer}`);
      }
    };

    log(`warm-up: ${S.warmSeconds} s, closed loop, ${S.concurrency} workers`);
    await generate(() => fire(false), S.concurrency, S.warmSeconds);
    log(`throughput: ${S.measureSeconds} s, closed loop, ${S.concurrency} workers`);
    const measured = await generate(() => fire(false), S.concurrency, S.measureSeconds);
    const target = measured.rps * S.load;
    log(`measured ${measured.rps.toFixed(1)} req/s (${measured.errors} errors); soaking at ${(S.load * 100).toFixed(0)} % = ${target.toFixed(1)} req/s for ${S.soakSeconds} s`);
    failures.clear();

    const samples: { t: number; mib: number }[] = [];
    /** The V8 heap in use, from the server's own /metrics (prom-client's default metrics), at each sample. */
    const heap: { t: number; mib: number }[] = [];
    const scrape = async (t: number) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const used = /^bird_graphql_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text)?.[1];
      if (used !== undefined) heap.push({ t, mib: Number(used) / 1024 / 1024 });
    };
    const t0 = performance.now();
    const sample = () => {
      const t = (performance.now() - t0) / 1000;
      samples.push({ t, mib: rssMiB(pid) });
      void scrape(t).catch(() => {});
    };
    sample();
    const sampler = setInterval(sample, S.sampleMs);
    let sent = 0;
    let done = 0;
    let errors = 0;
    let late = 0;
    let inFlight = 0;
    const end = t0 + S.soakSeconds * 1000;
    const pending = new Set<Promise<void>>();
    // Open loop: request k leaves at t0 + k / target, whatever the answers do (a closed loop would hide a slowdown).
    while (performance.now() < end) {
      const due = t0 + (sent * 1000) / target;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 50)));
      if (performance.now() < due) continue;
      sent++;
      if (inFlight >= S.maxInFlight) {
        late++;
        continue;
      }
      inFlight++;
      const request = fire(true).then(
        () => void done++,
        () => void errors++,
      );
      const tracked = request.finally(() => {
        inFlight--;
        pending.delete(tracked);
      });
      pending.add(tracked);
    }
    await Promise.all(pending);
    clearInterval(sampler);
    sample();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.close();

    const settled = samples.filter((entry) => entry.t >= S.settleSeconds);
    const leastSquares = slope(
      settled.map((entry) => entry.t),
      settled.map((entry) => entry.mib),
    ) * 60;
    const perMinute = medianSlope(settled) * 60;
    // The heap's floor (its lowest value in each minute, after collections) rises only if something is kept.
    const floors: { t: number; mib: number }[] = [];
    for (let minute = 0; minute * 60 < S.soakSeconds; minute++) {
      const window = heap.filter((h) => h.t >= minute * 60 && h.t < (minute + 1) * 60);
      if (window.length > 0) floors.push({ t: minute, mib: Math.min(...window.map((h) => h.mib)) });
    }
    const mibs = samples.map((entry) => entry.mib);
    latencies.sort((a, b) => a - b);
    const summary = {
      measuredRps: Number(measured.rps.toFixed(1)),
      targetRps: Number(target.toFixed(1)),
      achievedRps: Number((done / S.soakSeconds).toFixed(1)),
      requests: done,
      errors,
      late,
      failures: Object.fromEntries(failures),
      latencyMs: { p50: Number(percentile(latencies, 50).toFixed(2)), p99: Number(percentile(latencies, 99).toFixed(2)) },
      rssMiB: {
        start: Number(mibs[0]!.toFixed(1)),
        end: Number(mibs.at(-1)!.toFixed(1)),
        min: Number(Math.min(...mibs).toFixed(1)),
        max: Number(Math.max(...mibs).toFixed(1)),
        samples: samples.length,
      },
      rssSlopeMiBPerMinute: Number(perMinute.toFixed(3)),
      rssLeastSquaresSlopeMiBPerMinute: Number(leastSquares.toFixed(3)),
      rssGrowthAfterWarmUpMiB: Number((settled.at(-1)!.mib - settled[0]!.mib).toFixed(1)),
      heapFloorMiBByMinute: floors.map((floor) => Number(floor.mib.toFixed(1))),
      flat: Math.abs(perMinute) <= S.maxSlope,
    };
    log(`RSS samples (s → MiB): ${samples.map((entry) => `${entry.t.toFixed(0)}→${entry.mib.toFixed(1)}`).join(' ')}`);
    console.log(JSON.stringify(summary, null, 2));
    log(
      `${summary.flat ? 'RSS flat' : 'RSS NOT flat'}: slope ${summary.rssSlopeMiBPerMinute} MiB/min (least squares ${summary.rssLeastSquaresSlopeMiBPerMinute}) over ${settled.length} samples after ${S.settleSeconds} s (limit ±${S.maxSlope}); ` +
        `${done} requests at ${summary.achievedRps} req/s, ${errors} errors, ${late} late`,
    );
    process.exitCode = summary.flat && errors === 0 ? 0 : 1;
  } finally {
    await stopAll();
  }
}

await main();
