// Counting the emulator's request log over time: requests per emulator second, and the busiest one-second window.
import type { RequestLogEntry } from '../src/emulator/server.ts';

/** Requests per epoch second, by the emulator's own clock: what its fixed-window limiter counts. */
export function perSecond(entries: readonly RequestLogEntry[]): number[] {
  const counts = new Map<number, number>();
  for (const entry of entries) {
    const second = Math.floor(entry.at / 1000);
    counts.set(second, (counts.get(second) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([, count]) => count);
}

/** The most events in any window of one second (sliding), over epoch-ms timestamps. */
export function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
