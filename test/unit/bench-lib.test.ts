// The bench's own helpers: a child's stop() returns for a process already killed by a signal, and the sliding 1-second GET count the burst scenario reports.
import { describe, expect, it } from 'vitest';
import { freePort, startChild } from '../../bench/lib/processes.ts';
import { maxGetsPerSecond } from '../../bench/lib/scenarios.ts';

describe('bench helpers', () => {
  it('stop() returns for a child that was SIGKILLed (exitCode stays null, signalCode is set)', async () => {
    const child = await startChild({ name: 'hello', script: 'bench/hello.ts', env: { NODE_ENV: 'production', PORT: String(await freePort()) }, ready: { kind: 'line' } });
    const gone = new Promise((resolve) => child.proc.once('exit', resolve));
    child.proc.kill('SIGKILL');
    await gone;
    expect(child.proc.exitCode).toBeNull();
    expect(child.proc.signalCode).toBe('SIGKILL');
    await expect(child.stop()).resolves.toBeUndefined();
  }, 60_000);

  it('counts the most GETs in any sliding 1-second window, POSTs aside', () => {
    const get = (at: number) => ({ method: 'GET', route: 'r', status: 200, at });
    const calls = [get(0), get(500), get(999), get(1000), get(1400), { method: 'POST', route: 'r', status: 202, at: 1450 }, get(1998), get(3000)];
    // (0, 500, 999) and (500, 999, 1000, 1400) and (999, 1000, 1400, 1998): the largest holds 4.
    expect(maxGetsPerSecond(calls)).toBe(4);
    expect(maxGetsPerSecond([])).toBe(0);
  });
});
