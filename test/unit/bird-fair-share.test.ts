// FairShare alone: the total and per-key caps, round-robin hand-off across keys, and waits bounded by their signals.
import { describe, expect, it } from 'vitest';
import { FairShare } from '../../src/bird/fair-share.ts';
import type { Release } from '../../src/bird/fair-share.ts';

const never = new AbortController().signal;

describe('FairShare', () => {
  it('grants at once up to the total and the per-key caps, then queues', async () => {
    const share = new FairShare(4, 2);
    const a1 = share.tryAcquire('a');
    const a2 = share.tryAcquire('a');
    expect(a1).not.toBeNull();
    expect(a2).not.toBeNull();
    expect(share.tryAcquire('a')).toBeNull(); // a is at its own cap
    const b1 = share.tryAcquire('b');
    const b2 = share.tryAcquire('b');
    expect(share.inFlight()).toBe(4);
    expect(share.tryAcquire('c')).toBeNull(); // the total is full
    let granted = false;
    const c = share.acquire('c', never).then((release) => {
      granted = true;
      return release;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    expect(share.waiting()).toBe(1);
    b1!();
    (await c)();
    expect(granted).toBe(true);
    a1!();
    a2!();
    b2!();
    expect(share.inFlight()).toBe(0);
  });

  it('hands free places round-robin across keys: a noisy key cannot starve a quiet one', async () => {
    const share = new FairShare(1);
    let held = share.tryAcquire('noisy')!;
    const order: string[] = [];
    const line: Promise<void>[] = [];
    const join = (key: string) =>
      line.push(
        share.acquire(key, never).then((release) => {
          order.push(key);
          held = release;
        }),
      );
    for (let i = 0; i < 4; i++) join('noisy');
    join('quiet');
    join('other');
    // Each release hands the one place to the next key in turn, whatever the order of arrival.
    for (let turn = 0; turn < 6; turn++) {
      held();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(line);
    expect(order).toEqual(['noisy', 'quiet', 'other', 'noisy', 'noisy', 'noisy']);
    held();
    expect(share.inFlight()).toBe(0);
    expect(share.waiting()).toBe(0);
  });

  it("a key never holds more than its cap, even when the total has room: others' places stay free", async () => {
    const share = new FairShare(16, 8);
    const noisy = Array.from({ length: 8 }, () => share.tryAcquire('noisy'));
    expect(noisy.every(Boolean)).toBe(true);
    const more = share.acquire('noisy', never);
    expect(share.inFlight('noisy')).toBe(8);
    expect(share.tryAcquire('quiet')).not.toBeNull();
    noisy[0]!();
    (await more)();
  });

  it('a waiter whose signal aborts leaves the line with the reason, and takes nothing', async () => {
    const share = new FairShare(1);
    const held = share.tryAcquire('a')!;
    const controller = new AbortController();
    const waiting = share.acquire('b', controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(share.waiting()).toBe(0);
    held();
    expect(share.inFlight()).toBe(0);
    await expect(share.acquire('c', controller.signal)).rejects.toThrow('gone');
  });

  it('a release is idempotent', () => {
    const share = new FairShare(1);
    const release = share.tryAcquire('a')!;
    release();
    release();
    expect(share.inFlight()).toBe(0);
    expect(share.tryAcquire('a')).not.toBeNull();
  });
});
