// The bench's live section: 1,000 SSE subscribers over 2 replicas sharing one Redis — webhook-to-subscriber latency, events per second one replica sustains, and memory per open subscription.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import { type LiveCluster, CLUSTER_SIGNING_KEY, redisServerBinary, startLiveCluster } from '../../scripts/live-cluster.ts';
import { WEBHOOK_HEADERS } from '../../src/bird/types.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { sign } from '../../src/emulator/webhooks.ts';
import { WEBHOOK_PATH } from '../../src/live/receiver.ts';
import { median, percentile, rssMiB } from './measure.ts';

const WS = SEED.workspaces.main.id;
const SUBSCRIPTION = 'subscription BenchUpdates($ws: UUID!) { messageUpdated(workspaceId: $ws) { messageId status } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

export interface LiveSettings {
  subscribers: number;
  /** Reader worker threads (each holds subscribers / workers connections, half on each replica). */
  workers: number;
  /** Latency samples: status changes sent one at a time, each awaited by every subscriber. */
  samples: number;
  /** Seconds of the throughput drive. */
  driveSeconds: number;
  /** Deliveries in flight to replica A during the drive. */
  driveConcurrency: number;
  /** At most this many events ahead of the slowest subscriber (so the drive measures a sustained rate, not a backlog). */
  driveWindow: number;
}

export interface LiveResult {
  settings: LiveSettings;
  skipped?: string;
  openSeconds: number;
  open: number;
  failed: number;
  firstError?: string;
  perReplica: { replica: number; subscribers: number; rssBeforeMiB: number; rssAfterMiB: number; kibPerSubscription: number }[];
  latency: {
    events: number;
    samples: number;
    /** Arrivals per event ÷ subscribers (1 = every subscriber got every event exactly once). */
    completeness: number;
    p50Ms: number;
    p90Ms: number;
    p99Ms: number;
    maxMs: number;
    lastSubscriberP50Ms: number;
    lastSubscriberP99Ms: number;
    /** How far the emulator's delivery start (`startedAtMs`, ms resolution) lies after the bench's trigger. */
    startedAtOffsetMs: number;
  };
  throughput: {
    seconds: number;
    accepted: number;
    rejected: number;
    firstRejection?: string;
    /** Events every subscriber received during the drive, per second. */
    eventsPerSecond: number;
    /** Events written to SSE streams per second (both replicas; replica A alone: × its share). */
    streamEventsPerSecond: number;
    webhooksPerSecond: number;
    drainedSeconds: number;
    lost: number;
    /** Cores busy during the drive (CPU seconds ÷ seconds): each replica, and the bench process (emulator, readers, driver). */
    cores: { a: number; b: number; bench: number };
  };
}

type Counts = { min: Record<string, number>; total: Record<string, number> };

class Reader {
  private readonly waiting = new Map<string, ((m: any) => void)[]>();
  constructor(private readonly worker: Worker) {
    worker.on('message', (m: { type: string }) => this.waiting.get(m.type)?.shift()?.(m));
  }
  static async start(data: unknown): Promise<Reader> {
    const worker = new Worker(new URL('./sse-worker.mjs', import.meta.url), { workerData: data });
    const reader = new Reader(worker);
    await reader.next('ready');
    return reader;
  }
  next<T = any>(type: string): Promise<T> {
    return new Promise((resolve) => {
      const list = this.waiting.get(type) ?? [];
      list.push(resolve);
      this.waiting.set(type, list);
    });
  }
  ask<T = any>(message: { type: string; [k: string]: unknown }, reply: string): Promise<T> {
    const answer = this.next<T>(reply);
    this.worker.postMessage(message);
    return answer;
  }
  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

async function counts(readers: Reader[]): Promise<{ min: number; minByReplica: Record<string, number> }> {
  const all = await Promise.all(readers.map((r) => r.ask<Counts>({ type: 'counts' }, 'counts')));
  const minByReplica: Record<string, number> = {};
  for (const c of all) for (const [k, v] of Object.entries(c.min)) minByReplica[k] = Math.min(minByReplica[k] ?? Number.POSITIVE_INFINITY, v);
  return { min: Math.min(...Object.values(minByReplica)), minByReplica };
}

async function until(test: () => Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return true;
    await sleep(everyMs);
  }
  return false;
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** RSS settles after the opening burst: the median of 5 samples 400 ms apart. */
async function steadyRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssMiB(pid));
    await sleep(400);
  }
  return median(samples);
}

export async function runLive(settings: LiveSettings, log: (line: string) => void): Promise<LiveResult | { skipped: string; settings: LiveSettings }> {
  if (redisServerBinary() === null) return { settings, skipped: 'redis-server is not installed (Debian: apt-get install -y redis-server)' };
  // The cluster's emulator has no rate limits; pacing would only slow down opening 1,000 subscriptions (1 GET each).
  const cluster: LiveCluster = await startLiveCluster({
    replicas: 2,
    server: 'build',
    env: { BIRD_RATE_GET_PER_SECOND: 'off', BIRD_RATE_POST_PER_SECOND: 'off' },
  });
  const readers: Reader[] = [];
  try {
    const [A, B] = cluster.replicas as [NonNullable<(typeof cluster.replicas)[0]>, NonNullable<(typeof cluster.replicas)[1]>];
    for (const replica of cluster.replicas) {
      for (let i = 0; i < 20; i++) await (await fetch(`${replica.url}/ready`)).arrayBuffer();
    }
    const rssBefore = [await steadyRss(A.proc.pid!), await steadyRss(B.proc.pid!)];

    // --- open the subscribers ---------------------------------------------------------------------------------------
    const perWorker = Math.ceil(settings.subscribers / settings.workers);
    const body = JSON.stringify({ query: SUBSCRIPTION, variables: { ws: WS } });
    const headers = { authorization: `AccessKey ${SEED.accessKeys.demo}` };
    let left = settings.subscribers;
    const subsOn = [0, 0];
    for (let w = 0; w < settings.workers; w++) {
      const n = Math.min(perWorker, left);
      left -= n;
      const half = Math.floor(n / 2);
      subsOn[0]! += n - half;
      subsOn[1]! += half;
      readers.push(
        await Reader.start({
          targets: [
            { url: A.url, count: n - half, replica: 0 },
            { url: B.url, count: half, replica: 1 },
          ],
          body,
          headers,
          batch: 25,
        }),
      );
    }
    const t0 = now();
    const opened = await Promise.all(readers.map((r) => r.ask<{ open: number; failed: number; firstError?: string }>({ type: 'open' }, 'opened')));
    const open = opened.reduce((a, o) => a + o.open, 0);
    const failed = opened.reduce((a, o) => a + o.failed, 0);
    const firstError = opened.find((o) => o.firstError)?.firstError;
    log(`bench live: ${open} SSE subscriptions open (${failed} failed) in ${((now() - t0) / 1000).toFixed(1)} s`);

    // Every subscriber is live once it received an event: send messages until all have one (each send = 1 delivery).
    let expected = 0;
    const allHave = async (n: number) => (await counts(readers)).min >= n;
    for (let attempt = 0; attempt < 30 && !(await allHave(1)); attempt++) {
      await cluster.trigger.send('bench warm-up');
      await until(() => allHave(1), 1000, 50);
    }
    expected = (await counts(readers)).min;
    if (expected < 1) throw new Error('not every subscriber received the warm-up event');
    const openSeconds = (now() - t0) / 1000;
    await until(async () => {
      const c = await counts(readers);
      return c.min === expected;
    }, 3000, 100);
    const rssAfter = [await steadyRss(A.proc.pid!), await steadyRss(B.proc.pid!)];
    const perReplica = [0, 1].map((i) => ({
      replica: i,
      subscribers: subsOn[i]!,
      rssBeforeMiB: rssBefore[i]!,
      rssAfterMiB: rssAfter[i]!,
      kibPerSubscription: ((rssAfter[i]! - rssBefore[i]!) * 1024) / subsOn[i]!,
    }));

    // --- latency: one status change at a time, through the emulator's signed delivery and the load balancer -------
    await Promise.all(readers.map((r) => r.ask({ type: 'collect' }, 'collected'))); // drop the warm-up arrivals
    const messages: string[] = [];
    for (let i = 0; i < Math.ceil(settings.samples / 3); i++) messages.push(await cluster.trigger.send(`bench latency ${i}`));
    expected += messages.length;
    await until(() => allHave(expected), 10_000);
    expected = (await counts(readers)).min;
    await Promise.all(readers.map((r) => r.ask({ type: 'collect' }, 'collected')));
    const triggers = new Map<string, number>();
    const offsets: number[] = [];
    for (let i = 0; i < settings.samples; i++) {
      const id = messages[Math.floor(i / 3)]!;
      const before = cluster.emulator.deliveries.length;
      const at = now();
      const m = cluster.emulator.store.advanceMessage(WS, id);
      triggers.set(`${id}:${m.status.toLowerCase()}`, at);
      expected++;
      if (!(await until(() => allHave(expected), 10_000, 2))) log(`bench live: event ${i} did not reach every subscriber in 10 s`);
      const attempt = cluster.emulator.deliveries[before];
      if (attempt) offsets.push(attempt.startedAtMs - at);
      await sleep(20);
    }
    const collected = await Promise.all(readers.map((r) => r.ask<{ arrivals: Record<string, number[]> }>({ type: 'collect' }, 'collected')));
    const latencies: number[] = [];
    const lastPerEvent: number[] = [];
    let arrivals = 0;
    for (const [key, t] of triggers) {
      const times = collected.flatMap((c) => (c.arrivals[key] ?? []) as number[]);
      arrivals += times.length;
      for (const x of times) latencies.push(x - t);
      if (times.length > 0) lastPerEvent.push(Math.max(...times) - t);
    }
    latencies.sort((a, b) => a - b);
    lastPerEvent.sort((a, b) => a - b);
    const latency = {
      events: triggers.size,
      samples: latencies.length,
      completeness: arrivals / (triggers.size * open),
      p50Ms: percentile(latencies, 50),
      p90Ms: percentile(latencies, 90),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1) ?? Number.NaN,
      lastSubscriberP50Ms: percentile(lastPerEvent, 50),
      lastSubscriberP99Ms: percentile(lastPerEvent, 99),
      startedAtOffsetMs: median(offsets),
    };
    log(`bench live: latency p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms over ${latency.samples} arrivals of ${latency.events} events`);

    // --- throughput: signed deliveries straight to replica A, as fast as it takes them (bounded ahead of the slowest) ----
    await Promise.all(readers.map((r) => r.ask({ type: 'record', on: false }, 'recorded')));
    const throughput = await drive(cluster, readers, settings, A.url, [A.proc.pid!, B.proc.pid!]);
    log(`bench live: ${throughput.eventsPerSecond.toFixed(1)} events/s to every subscriber (${throughput.webhooksPerSecond.toFixed(1)} webhooks/s into replica A)`);

    return { settings, openSeconds, open, failed, ...(firstError ? { firstError } : {}), perReplica, latency, throughput };
  } finally {
    await Promise.all(readers.map((r) => r.ask({ type: 'close' }, 'closed').then(() => r.terminate())));
    await cluster.stop();
  }
}

/**
 * Bird's deliveries to one replica, built and signed exactly as the emulator's hub does (src/emulator/webhooks.ts:
 * the `{service, event, payload}` envelope, `sign()` over the registered URL), `driveConcurrency` in flight, each a
 * new delivery id and message id (so neither the duplicate nor the stale-status check drops one), never more than
 * `driveWindow` events ahead of the slowest subscriber. The emulator's own queue sends one delivery at a time per
 * subscription, which would measure its round trip rather than the replica.
 */
async function drive(cluster: LiveCluster, readers: Reader[], settings: LiveSettings, replicaUrl: string, pids: [number, number]): Promise<LiveResult['throughput']> {
  const messageId = await cluster.trigger.send('bench template');
  const template = cluster.emulator.store.advanceMessage(WS, messageId);
  // The URL the subscription was registered with (PUBLIC_URL + path + the workspace parameter): signed and posted to.
  const publicUrl = cluster.emulator.webhooks.all().find((sub) => sub.event === 'sms.outbound')?.url ?? `${cluster.balancer.url}${WEBHOOK_PATH}`;
  const path = new URL(publicUrl).pathname + new URL(publicUrl).search;
  const pool = new Pool(replicaUrl, { connections: settings.driveConcurrency });
  await sleep(500);
  const base = (await counts(readers)).min;
  let accepted = 0;
  let rejected = 0;
  let firstRejection: string | undefined;
  let delivered = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      delivered = (await counts(readers)).min - base;
      await sleep(10);
    }
  })();
  const cpu0 = [cpuSeconds(pids[0]), cpuSeconds(pids[1]), process.cpuUsage()] as const;
  const t0 = performance.now();
  const end = t0 + settings.driveSeconds * 1000;
  let sent = 0;
  await Promise.all(
    Array.from({ length: settings.driveConcurrency }, async () => {
      while (performance.now() < end) {
        if (sent - delivered >= settings.driveWindow) {
          await sleep(1);
          continue;
        }
        sent++;
        const body = JSON.stringify({ service: 'channels', event: 'sms.outbound', payload: { ...template, id: randomUUID(), lastStatusAt: new Date().toISOString() } });
        const timestamp = Math.floor(Date.now() / 1000);
        const res = await pool.request({
          path,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [WEBHOOK_HEADERS.requestId]: randomUUID(),
            [WEBHOOK_HEADERS.timestamp]: String(timestamp),
            [WEBHOOK_HEADERS.signature]: sign(CLUSTER_SIGNING_KEY, timestamp, publicUrl, body),
          },
          body,
        });
        const text = await res.body.text();
        if (res.statusCode >= 200 && res.statusCode < 300) accepted++;
        else {
          rejected++;
          firstRejection ??= `${res.statusCode} ${text.slice(0, 200)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const deliveredInDrive = delivered;
  const benchCpu = process.cpuUsage(cpu0[2]);
  const cores = {
    a: (cpuSeconds(pids[0]) - cpu0[0]) / seconds,
    b: (cpuSeconds(pids[1]) - cpu0[1]) / seconds,
    bench: (benchCpu.user + benchCpu.system) / 1e6 / seconds,
  };
  const drainStart = performance.now();
  await until(async () => delivered >= accepted, 30_000, 20);
  const drainedSeconds = (performance.now() - drainStart) / 1000;
  polling = false;
  await poller;
  await pool.close();
  return {
    seconds,
    accepted,
    rejected,
    ...(firstRejection ? { firstRejection } : {}),
    eventsPerSecond: deliveredInDrive / seconds,
    streamEventsPerSecond: (deliveredInDrive * settings.subscribers) / seconds,
    webhooksPerSecond: accepted / seconds,
    drainedSeconds,
    lost: Math.max(0, accepted - delivered),
    cores,
  };
}

export function liveReport(result: LiveResult | { skipped: string; settings: LiveSettings }): string[] {
  const s = result.settings;
  const lines = [`## Live updates: ${s.subscribers} SSE subscribers over 2 replicas and one Redis`, ''];
  if ('skipped' in result && result.skipped) return [...lines, `**Skipped:** ${result.skipped}.`, ''];
  const r = result as LiveResult;
  lines.push(
    `${r.open} subscriptions open (${r.failed} failed${r.firstError ? `: \`${r.firstError.slice(0, 200)}\`` : ''}), every one live (it received an event) ${r.openSeconds.toFixed(1)} s after opening started. ` +
      `Each is \`messageUpdated(workspaceId:) { messageId status }\` on its own HTTP connection (GraphQL over SSE, distinct connections), half on each replica, read by ${s.workers} worker threads of the bench running a raw SSE reader (node:http, arrival stamped on each chunk with performance.timeOrigin + performance.now()).`,
    '',
    '| Measure | Figure |',
    '|---|---|',
    `| Webhook → subscriber, p50 / p90 / p99 / max (every arrival) | ${r.latency.p50Ms.toFixed(2)} / ${r.latency.p90Ms.toFixed(2)} / ${r.latency.p99Ms.toFixed(2)} / ${r.latency.maxMs.toFixed(2)} ms |`,
    `| Webhook → the last of the ${r.open} subscribers, p50 / p99 (per event) | ${r.latency.lastSubscriberP50Ms.toFixed(2)} / ${r.latency.lastSubscriberP99Ms.toFixed(2)} ms |`,
    `| Latency samples | ${r.latency.samples} arrivals of ${r.latency.events} events (completeness ${(r.latency.completeness * 100).toFixed(2)} %) |`,
    `| Events/s one replica sustains (all webhooks into replica A; every subscriber on both replicas gets each) | ${r.throughput.eventsPerSecond.toFixed(1)} events/s = ${r.throughput.streamEventsPerSecond.toFixed(0)} SSE events/s written (${r.throughput.webhooksPerSecond.toFixed(1)} webhooks/s accepted; ${r.throughput.rejected} refused${r.throughput.firstRejection ? `: \`${r.throughput.firstRejection}\`` : ''}; ${r.throughput.lost} lost after a ${r.throughput.drainedSeconds.toFixed(1)} s drain) |`,
    `| Cores busy during the drive (CPU s ÷ s) | replica A ${r.throughput.cores.a.toFixed(2)}, replica B ${r.throughput.cores.b.toFixed(2)}, the bench process (emulator, balancer, ${s.workers} reader threads, driver) ${r.throughput.cores.bench.toFixed(2)} |`,
    ...r.perReplica.map(
      (p) =>
        `| Memory per open subscription, replica ${p.replica === 0 ? 'A' : 'B'} (${p.subscribers} subscriptions) | ${p.kibPerSubscription.toFixed(1)} KiB (RSS ${p.rssBeforeMiB.toFixed(1)} → ${p.rssAfterMiB.toFixed(1)} MiB) |`,
    ),
    '',
    `Latency: ${r.latency.events} status changes, one at a time (each awaited by every subscriber, then 20 ms), made with the emulator's \`store.advanceMessage\`: its hub signs and sends the delivery to the load balancer (PUBLIC_URL, round robin over the replicas), the receiving replica verifies it and publishes it to Redis, both replicas fan it out. Measured from the trigger, which runs the emulator's delivery start in the same tick (its \`startedAtMs\` lies ${r.latency.startedAtOffsetMs.toFixed(1)} ms after, at ms resolution), to each subscriber's arrival. ` +
      `Throughput: ${s.driveSeconds} s of deliveries signed as the emulator signs them, posted straight to replica A, ${s.driveConcurrency} in flight and at most ${s.driveWindow} events ahead of the slowest subscriber; events/s = events every subscriber received during the drive ÷ its length. ` +
      'Memory: RSS of each replica (median of 5 samples) before the subscriptions and after they are all live, the difference ÷ its subscriptions.',
    '',
  );
  return lines;
}
