// The inbox example's list state (examples/inbox/src/window.ts): paging both ways within the window, trimming, and live states merged without going back.
import { describe, expect, it } from 'vitest';
import { type Edge, type Message, MessageWindow, PAGE_SIZE, type Page, WINDOW_SIZE } from '../../examples/inbox/src/window.ts';

const T0 = Date.parse('2025-06-30T12:00:00.000Z');
/** Message n of a channel: higher n is newer. */
function message(n: number, status: Message['status'] = 'DELIVERED', statusAtMs = T0 + n * 1000): Message {
  return {
    messageId: `m${n}`,
    direction: 'OUTGOING',
    status,
    text: `text ${n}`,
    createdAt: new Date(T0 + n * 1000).toISOString(),
    lastStatusAt: new Date(statusAtMs).toISOString(),
    sender: null,
    receivers: [],
  };
}
const edge = (n: number, m = message(n)): Edge => ({ cursor: `c${n}`, node: m });
/** Messages newest → oldest, as the channel lists them. */
const page = (ns: number[], pageInfo: Partial<Page['pageInfo']> = {}): Page => ({
  edges: ns.map((n) => edge(n)),
  pageInfo: { hasNextPage: false, hasPreviousPage: false, ...pageInfo },
});
/** n, n-1, … (count of them). */
const down = (from: number, count: number) => Array.from({ length: count }, (_, i) => from - i);
const ids = (w: MessageWindow) => w.edges.map((e) => e.node.messageId);

describe('MessageWindow', () => {
  it('appends older pages, drops the newest page past the window, and prepends it back from its cursor', () => {
    const w = new MessageWindow();
    w.reset(page(down(100, PAGE_SIZE), { hasNextPage: true }));
    expect([w.hasNewer, w.hasOlder, w.newerCursor, w.olderCursor]).toEqual([false, true, 'c100', 'c81']);
    for (let i = 1; i * PAGE_SIZE < WINDOW_SIZE; i++) w.appendOlder(page(down(100 - i * PAGE_SIZE, PAGE_SIZE), { hasNextPage: true }));
    expect(ids(w)).toEqual(down(100, WINDOW_SIZE).map((n) => `m${n}`));
    expect(w.hasNewer).toBe(false);

    w.appendOlder(page(down(100 - WINDOW_SIZE, PAGE_SIZE), { hasNextPage: false }));
    expect(ids(w)).toEqual(down(100 - PAGE_SIZE, WINDOW_SIZE).map((n) => `m${n}`));
    expect([w.hasNewer, w.hasOlder, w.newerCursor]).toEqual([true, false, `c${100 - PAGE_SIZE}`]);

    w.prependNewer(page(down(100, PAGE_SIZE), { hasPreviousPage: false }));
    expect(ids(w)).toEqual(down(100, WINDOW_SIZE).map((n) => `m${n}`));
    expect([w.hasNewer, w.hasOlder]).toEqual([false, true]);
  });

  it('never shows a message twice when a page overlaps what is shown', () => {
    const w = new MessageWindow();
    w.reset(page([5, 4, 3]));
    w.prependNewer(page([7, 6, 5]));
    expect(ids(w)).toEqual(['m7', 'm6', 'm5', 'm4', 'm3']);
  });

  it('updates a shown message in place, and never back to an older status', () => {
    const w = new MessageWindow();
    w.reset(page([2, 1]));
    const sent = message(2, 'SENT', T0 + 10_000);
    expect(w.live(sent)).toBe('shown');
    expect(w.edges[0]!.node.status).toBe('SENT');
    expect(w.live(message(2, 'PROCESSING', T0 + 5_000))).toBe('shown');
    expect(w.edges[0]!.node.status).toBe('SENT');
  });

  it('says a message newer than the top is newer, and keeps its live state for the page that brings it in', () => {
    const w = new MessageWindow();
    w.reset(page([2, 1]));
    // The live event (delivered) comes before the page, which was read while the message was still accepted.
    expect(w.live(message(3, 'DELIVERED', T0 + 9_000))).toBe('newer');
    expect(w.current('m3')?.status).toBe('DELIVERED');
    w.prependNewer({ edges: [edge(3, message(3, 'ACCEPTED', T0 + 3_000))], pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    expect(ids(w)).toEqual(['m3', 'm2', 'm1']);
    expect(w.edges[0]!.node.status).toBe('DELIVERED');
    // An event about an old message not on screen is neither shown nor newer.
    expect(w.live(message(0))).toBe('away');
  });

  it('counts any message as newer while the list is empty', () => {
    const w = new MessageWindow();
    w.reset(page([]));
    expect([w.newerCursor, w.olderCursor]).toEqual([undefined, undefined]);
    expect(w.live(message(1))).toBe('newer');
  });
});
