// Measurement primitives: the µs latency probe, the throughput runners (wrk 4.1, or an in-process undici load
// generator with the same concurrency), percentiles, medians, and RSS sampling from /proc.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';

/** One unit of work: resolves when the whole answer was read (and checked); rejects on any failure. */
export type Task = () => Promise<void>;

export interface ProbeResult {
  /** Sorted durations in µs. */
  samples: number[];
  p50: number;
  p90: number;
  p99: number;
  errors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? (finite[mid] as number) : ((finite[mid - 1] as number) + (finite[mid] as number)) / 2;
}

/**
 * Sequential requests, each timed with process.hrtime.bigint(): `warmup` untimed, then up to `count` timed. A slow
 * target stops early at `maxMs` of timed work (the sample count is reported), so one slow peer cannot eat the budget.
 */
export async function probe(task: Task, warmup: number, count: number, maxMs: number): Promise<ProbeResult> {
  const warmEnd = performance.now() + maxMs / 2;
  for (let i = 0; i < warmup && performance.now() < warmEnd; i++) await task();
  const samples: number[] = [];
  let errors = 0;
  const end = performance.now() + maxMs;
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    try {
      await task();
    } catch {
      errors++;
    }
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    if (performance.now() > end) break;
  }
  samples.sort((a, b) => a - b);
  return { samples, p50: percentile(samples, 50), p90: percentile(samples, 90), p99: percentile(samples, 99), errors };
}

export interface ThroughputResult {
  rps: number;
  errors: number;
  tool: 'wrk' | 'undici';
}

/** Closed-loop load: `concurrency` workers each awaiting `task` in a loop for `seconds`. */
export async function generate(task: Task, concurrency: number, seconds: number): Promise<ThroughputResult> {
  let done = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        try {
          await task();
          done++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { rps: done / ((performance.now() - start) / 1000), errors, tool: 'undici' };
}

export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

export interface HttpRequestSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

const lua = (s: string) => JSON.stringify(s); // a JSON string literal is a valid Lua string literal for our ASCII bodies

/** A wrk script cycling through `specs` (one spec = the usual post.lua: method, headers, body). */
export function wrkScript(specs: HttpRequestSpec[]): string {
  const file = join(tmpdir(), `bench-${process.pid}-${Math.random().toString(36).slice(2)}.lua`);
  const requests = specs
    .map((s) => {
      const path = new URL(s.url).pathname + new URL(s.url).search;
      const headers = Object.entries(s.headers)
        .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
        .join(', ');
      return `wrk.format(${lua(s.method)}, ${lua(path)}, { ${headers} }, ${s.body === undefined ? 'nil' : lua(s.body)})`;
    })
    .join(',\n  ');
  writeFileSync(
    file,
    `local requests = nil\nlocal i = 0\ninit = function(args)\n  requests = {\n  ${requests}\n  }\nend\n` +
      `request = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n`,
  );
  return file;
}

function runWrk(url: string, script: string, seconds: number, concurrency: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('wrk', ['-t1', `-c${concurrency}`, `-d${seconds}s`, '-s', script, url], { encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** wrk -t1 -cN: a warm-up run, then the measured one; non-2xx answers and socket errors are counted as errors. */
export async function wrk(specs: HttpRequestSpec[], warmSeconds: number, seconds: number, concurrency: number): Promise<ThroughputResult> {
  const script = wrkScript(specs);
  const origin = new URL(specs[0]!.url).origin;
  if (warmSeconds > 0) await runWrk(origin, script, warmSeconds, concurrency);
  const out = await runWrk(origin, script, seconds, concurrency);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { rps, errors: non2xx + socketErrors, tool: 'wrk' };
}

/** An undici task for one HTTP request on a dedicated Client; non-2xx rejects; `check` may inspect the body. */
export function httpTask(client: Client, spec: HttpRequestSpec, check?: (body: string) => void): Task {
  const url = new URL(spec.url);
  const path = url.pathname + url.search;
  return async () => {
    const res = await client.request({ path, method: spec.method, headers: spec.headers, body: spec.body });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
    check?.(text);
  };
}

/** Resident set size of a process in MiB, from /proc/<pid>/status. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return num / den;
}
