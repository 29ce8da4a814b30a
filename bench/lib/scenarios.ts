// The load scenarios beyond the c=10 probes: "burst" (more concurrent clients than Bird's 50 GET/s per workspace allows, emulator limits and our pacing on) and "coalesced" (many identical concurrent queries), each counted in the emulator's log.
import { Pool } from 'undici';
import { percentile } from './measure.ts';

/** One request of the emulator's log, as the bench emulator's control port serves it. */
export interface LoggedCall {
  method: string;
  route: string;
  status: number;
  /** Arrival, epoch ms by the emulator's clock. */
  at: number;
}

export interface Control {
  reset(): Promise<void>;
  read(): Promise<LoggedCall[]>;
  /** Every emulator answer waits this long first (0: none). */
  latency(ms: number): Promise<void>;
}

export function controlOf(controlUrl: string): Control {
  return {
    reset: async () => void (await fetch(`${controlUrl}/reset`, { method: 'POST' })).arrayBuffer(),
    read: async () => (await (await fetch(`${controlUrl}/requests`)).json()) as LoggedCall[],
    latency: async (ms) => void (await fetch(`${controlUrl}/latency?ms=${ms}`, { method: 'POST' })).arrayBuffer(),
  };
}

interface GraphQLBody {
  query: string;
  variables: Record<string, unknown>;
}

/** One GraphQL POST on the pool, timed; `ok` only for a 2xx answer without `errors`. */
async function timedPost(pool: Pool, body: string): Promise<{ us: number; ok: boolean; error?: string }> {
  const t0 = process.hrtime.bigint();
  try {
    const res = await pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body,
    });
    const text = await res.body.text();
    const us = Number(process.hrtime.bigint() - t0) / 1000;
    if (res.statusCode < 200 || res.statusCode >= 300 || text.includes('"errors"')) return { us, ok: false, error: `${res.statusCode} ${text.slice(0, 300)}` };
    return { us, ok: true };
  } catch (error) {
    return { us: Number(process.hrtime.bigint() - t0) / 1000, ok: false, error: (error as Error).message };
  }
}

/** Opens `connections` keep-alive sockets on the pool before a measurement, so the burst is not a connect storm. */
async function warmPool(pool: Pool, connections: number): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const res = await pool.request({ path: '/health', method: 'GET' });
      await res.body.arrayBuffer();
    }),
  );
}

/** The largest number of GETs the emulator saw in any 1-second window (sliding, over arrival times). */
export function maxGetsPerSecond(calls: LoggedCall[]): number {
  const times = calls
    .filter((c) => c.method === 'GET')
    .map((c) => c.at)
    .sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Burst
// ---------------------------------------------------------------------------------------------------------------

export interface BurstPhase {
  name: string;
  clients: number;
  requests: number;
  errors: number;
  firstError?: string;
  served429: number;
  upstreamGets: number;
  maxGetsPerSecond: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Against the emulator with Bird's limits on and our server with its pacing on (the shipped defaults), every request
 * a distinct `message(…)` (one GET each: nothing to coalesce). "spike": `spike` requests sent at the same moment over
 * as many open connections; "sustained": `clients` closed-loop clients for `seconds`, each offering far more than the
 * limit. Each phase starts on a fresh second window (1.1 s pause) with the emulator's log reset.
 */
export async function runBurst(options: {
  oursUrl: string;
  control: Control;
  /** A message query with `$id` for the message id. */
  request: (messageId: string) => GraphQLBody;
  messageIds: string[];
  spike: number;
  clients: number;
  seconds: number;
}): Promise<BurstPhase[]> {
  const { control, messageIds } = options;
  const width = Math.max(options.spike, options.clients);
  const pool = new Pool(options.oursUrl, { connections: width, pipelining: 1 });
  const phases: BurstPhase[] = [];
  try {
    await warmPool(pool, width);
    let next = 0;
    const body = () => JSON.stringify(options.request(messageIds[next++ % messageIds.length]!));
    const phase = async (name: string, clients: number, run: () => Promise<{ us: number; ok: boolean; error?: string }[]>) => {
      await new Promise((r) => setTimeout(r, 1100)); // the previous phase's GETs leave the emulator's window
      await control.reset();
      const t0 = performance.now();
      const results = await run();
      const seconds = (performance.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 50));
      const calls = await control.read();
      const sorted = results.map((r) => r.us).sort((a, b) => a - b);
      const failed = results.filter((r) => !r.ok);
      phases.push({
        name,
        clients,
        requests: results.length,
        errors: failed.length,
        ...(failed[0]?.error ? { firstError: failed[0].error } : {}),
        served429: calls.filter((c) => c.status === 429).length,
        upstreamGets: calls.filter((c) => c.method === 'GET').length,
        maxGetsPerSecond: maxGetsPerSecond(calls),
        seconds,
        p50Ms: percentile(sorted, 50) / 1000,
        p99Ms: percentile(sorted, 99) / 1000,
        maxMs: (sorted.at(-1) ?? Number.NaN) / 1000,
      });
    };
    await phase(`spike: ${options.spike} requests at once`, options.spike, () =>
      Promise.all(Array.from({ length: options.spike }, () => timedPost(pool, body()))),
    );
    await phase(`sustained: ${options.clients} clients for ${options.seconds} s`, options.clients, async () => {
      const end = performance.now() + options.seconds * 1000;
      const results: { us: number; ok: boolean; error?: string }[] = [];
      await Promise.all(
        Array.from({ length: options.clients }, async () => {
          while (performance.now() < end) results.push(await timedPost(pool, body()));
        }),
      );
      return results;
    });
  } finally {
    await pool.close();
  }
  return phases;
}

export function burstReport(phases: BurstPhase[], limit: number): string[] {
  const lines = [
    `## Burst: more clients than Bird's ${limit} GET/s per workspace (emulator limits on, our pacing on)`,
    '',
    'Every request is `message(…)` for a distinct message (1 GET each, nothing to coalesce), all on one workspace.',
    '',
    '| Phase | requests | errors | 429s served | GETs | most GETs in 1 s | s | req/s | p50 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const p of phases) {
    lines.push(
      `| ${p.name} | ${p.requests} | ${p.errors} | ${p.served429} | ${p.upstreamGets} | ${p.maxGetsPerSecond} | ${p.seconds.toFixed(1)} | ${(p.requests / p.seconds).toFixed(1)} | ${p.p50Ms.toFixed(1)} | ${p.p99Ms.toFixed(1)} | ${p.maxMs.toFixed(1)} |`,
    );
  }
  for (const p of phases) if (p.firstError) lines.push('', `First error (${p.name}): \`${p.firstError.replace(/`/g, "'")}\``);
  lines.push('');
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Coalesced
// ---------------------------------------------------------------------------------------------------------------

export interface CoalescedResult {
  clients: number;
  /** Waves of `clients` identical queries sent at the same moment, one wave after the other. */
  waves: number;
  waveQueries: number;
  waveCalls: number;
  /** The most calls any one wave cost. */
  worstWaveCalls: number;
  waveErrors: number;
  /** Closed loop: `clients` clients sending the same query for `seconds`. */
  loopQueries: number;
  loopCalls: number;
  loopErrors: number;
  loopRps: number;
  loopP50Ms: number;
  loopP99Ms: number;
  seconds: number;
  /** What every emulator answer waited (a round trip to Bird): "in flight together" needs the call to take time. */
  latencyMs: number;
}

/**
 * The emulator answers in well under a millisecond, faster than our server reads a wave of 100 requests off its
 * sockets, so without it the wave's last requests arrive after the first call has returned and start a call of their
 * own: not "identical queries in flight at the same moment". 20 ms is a short round trip to api.bird.com.
 */
export const COALESCED_LATENCY_MS = 20;

/**
 * `clients` identical queries (one distinct GET each) in flight together, against the emulator without limits: first
 * in waves sent at the same moment over `clients` open connections, then closed loop for `seconds`, every emulator
 * answer delayed by `latencyMs` (COALESCED_LATENCY_MS). Calls per query come from the emulator's log.
 */
export async function runCoalesced(options: {
  oursUrl: string;
  control: Control;
  request: GraphQLBody;
  clients: number;
  waves: number;
  seconds: number;
  latencyMs?: number;
}): Promise<CoalescedResult> {
  const { control, clients } = options;
  const latencyMs = options.latencyMs ?? COALESCED_LATENCY_MS;
  const body = JSON.stringify(options.request);
  const pool = new Pool(options.oursUrl, { connections: clients, pipelining: 1 });
  await control.latency(latencyMs);
  try {
    await warmPool(pool, clients);
    let waveCalls = 0;
    let worstWaveCalls = 0;
    let waveErrors = 0;
    for (let w = 0; w < options.waves; w++) {
      await control.reset();
      const results = await Promise.all(Array.from({ length: clients }, () => timedPost(pool, body)));
      waveErrors += results.filter((r) => !r.ok).length;
      await new Promise((r) => setTimeout(r, 20));
      const calls = (await control.read()).length;
      waveCalls += calls;
      worstWaveCalls = Math.max(worstWaveCalls, calls);
    }
    await control.reset();
    const end = performance.now() + options.seconds * 1000;
    const t0 = performance.now();
    const results: { us: number; ok: boolean }[] = [];
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) results.push(await timedPost(pool, body));
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 20));
    const loopCalls = (await control.read()).length;
    await control.reset();
    const sorted = results.map((r) => r.us).sort((a, b) => a - b);
    return {
      clients,
      waves: options.waves,
      waveQueries: options.waves * clients,
      waveCalls,
      worstWaveCalls,
      waveErrors,
      loopQueries: results.length,
      loopCalls,
      loopErrors: results.filter((r) => !r.ok).length,
      loopRps: results.length / elapsed,
      loopP50Ms: percentile(sorted, 50) / 1000,
      loopP99Ms: percentile(sorted, 99) / 1000,
      seconds: elapsed,
      latencyMs,
    };
  } finally {
    await control.latency(0);
    await pool.close();
  }
}

export function coalescedReport(r: CoalescedResult): string[] {
  const perQuery = (calls: number, queries: number) => (queries > 0 ? (calls / queries).toFixed(4) : 'n/a');
  return [
    `## Coalesced: ${r.clients} clients × the same \`message\` query (1 distinct GET; emulator limits off, pacing off, every emulator answer after ${r.latencyMs} ms)`,
    '',
    '| Load | queries | errors | upstream calls | calls per query | optimum | req/s | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${r.waves} waves of ${r.clients} sent at once | ${r.waveQueries} | ${r.waveErrors} | ${r.waveCalls} (worst wave ${r.worstWaveCalls}) | ${perQuery(r.waveCalls, r.waveQueries)} | ${perQuery(r.waves, r.waveQueries)} (1 per wave) | — | — | — |`,
    `| closed loop, ${r.clients} clients, ${r.seconds.toFixed(1)} s | ${r.loopQueries} | ${r.loopErrors} | ${r.loopCalls} | ${perQuery(r.loopCalls, r.loopQueries)} | — | ${r.loopRps.toFixed(0)} | ${r.loopP50Ms.toFixed(2)} | ${r.loopP99Ms.toFixed(2)} |`,
    '',
  ];
}
