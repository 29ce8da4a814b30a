// The transports' rules: caps per connection and in total, operation limits, CSRF, WebSocket origins, persisted operations over graphql-ws, heartbeats and a clean shutdown.
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { SEED } from '../../src/emulator/seed.ts';
import { liveRuntimeOf } from '../../src/live/index.ts';
import { MessageUpdatedDocument } from '../gql/generated.ts';
import { type LiveStack, WS, collect, startLiveStack, until } from './stack.ts';

const QUERY = print(MessageUpdatedDocument);
const SIMPLE = `subscription { messageUpdated(workspaceId: "${WS}") { messageId status } }`;
const CHANNELS_ROUTE = 'GET /workspaces/:ws/channels';

/** The first frames of a raw SSE response from /graphql (for heartbeats and refusals). */
async function sseFrames(url: string, init: RequestInit, until: (text: string) => boolean): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: controller.signal });
  let text = '';
  if (response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    while (!until(text)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  }
  controller.abort();
  return { status: response.status, text };
}

describe('caps and limits', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({ env: { SUBSCRIPTIONS_PER_CONNECTION: '2', SUBSCRIPTIONS_MAX: '3', MAX_DEPTH: '3', MAX_UPSTREAM_CALLS: '1' } });
  });
  afterAll(() => stack.close());

  it('refuses a third subscription on one WebSocket with SUBSCRIPTION_LIMIT_EXCEEDED, before any Bird call', async () => {
    const client = stack.ws();
    const first = collect(client, { query: SIMPLE });
    const second = collect(client, { query: SIMPLE });
    await until(() => liveRuntimeOf(stack.app)!.hub.streaming === 2);
    stack.emulator.resetRequests();
    const third = collect(client, { query: SIMPLE });
    await third.completed;
    expect(third.results).toEqual([
      { errors: [expect.objectContaining({ message: 'Too many subscriptions on this connection (at most 2); complete one first.', extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', scope: 'connection', limit: 2 } })] },
    ]);
    expect(stack.requests.upstream()).toEqual([]);
    // Another connection still gets one: the total cap is 3.
    const other = stack.ws();
    const fourth = collect(other, { query: SIMPLE });
    await until(() => liveRuntimeOf(stack.app)!.hub.streaming === 3);
    const fifth = collect(stack.sse(), { query: SIMPLE });
    await fifth.completed;
    expect(fifth.results).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', scope: 'server', limit: 3 } })] }]);
    for (const sub of [first, second, fourth]) sub.stop();
    await until(() => liveRuntimeOf(stack.app)!.hub.size === 0);
  });

  it('applies the operation limits to subscription documents (depth, upstream budget), with zero Bird calls', async () => {
    stack.emulator.resetRequests();
    const deep = collect(stack.sse(), { query: `subscription { messageUpdated(workspaceId: "${WS}") { channel { workspace { name } } } }` });
    await deep.completed;
    expect(deep.results).toEqual([{ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'DEPTH_LIMIT_EXCEEDED' }) })] }]);
    const costly = collect(stack.ws(), { query: `subscription { messageUpdated(workspaceId: "${WS}") { messageId channel { name } } }` });
    await costly.completed;
    expect(costly.results).toEqual([{ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'UPSTREAM_BUDGET_EXCEEDED' }) })] }]);
    expect(stack.requests.upstream()).toEqual([]);
  });
});

describe('CSRF, CORS and persisted operations', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({ env: { CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => stack.close());

  it('refuses a GET subscription without the CSRF header, like any GET operation', async () => {
    const url = `${stack.url}/graphql?query=${encodeURIComponent(SIMPLE)}`;
    const refused = await sseFrames(url, { headers: { accept: 'text/event-stream' } }, () => true);
    expect(refused.status).toBe(403);
    const allowed = await sseFrames(url, { headers: { accept: 'text/event-stream', 'x-graphql-yoga-csrf': '1', authorization: `AccessKey ${SEED.accessKeys.demo}` } }, (t) => t.includes(':'));
    expect(allowed.status).toBe(200);
  });

  const upgrade = (origin: string | undefined) =>
    new Promise<number>((resolve) => {
      const socket = new WebSocket(`${stack.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', origin ? { origin } : {});
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', () => {});
    });

  it('opens a WebSocket for no Origin, the server’s own origin and CORS_ORIGINS, and refuses any other with 403', async () => {
    expect(await upgrade(undefined)).toBe(101);
    expect(await upgrade(stack.url)).toBe(101);
    expect(await upgrade('https://app.example.com')).toBe(101);
    expect(await upgrade('https://evil.example.net')).toBe(403);
    expect(await upgrade('null')).toBe(403);
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${stack.url.replace('http', 'ws')}/elsewhere`, 'graphql-transport-ws');
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', () => {});
    });
    expect(status).toBe(404);
  });
});

describe('persisted operations over graphql-ws', () => {
  it('runs the same safelist as HTTP: a known hash streams, an arbitrary document is refused', async () => {
    const stack = await startLiveStack({ env: { PERSISTED_OPERATIONS: 'persisted-operations.json' } });
    try {
      const { createHash } = await import('node:crypto');
      const sha256Hash = createHash('sha256').update(QUERY).digest('hex');
      const refused = collect(stack.ws(), { query: SIMPLE });
      await refused.completed;
      expect(refused.results).toEqual([{ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_ONLY' }) })] }]);
      const known = collect(stack.ws(), { query: '', variables: { workspaceId: WS }, extensions: { persistedQuery: { version: 1, sha256Hash } } } as never);
      await until(() => liveRuntimeOf(stack.app)!.hub.streaming === 1);
      known.stop();
    } finally {
      await stack.close();
    }
  });
});

describe('heartbeats and shutdown', () => {
  it('sends SSE keep-alive comments and WebSocket pings on idle streams', async () => {
    const stack = await startLiveStack({ env: { SUBSCRIPTION_KEEPALIVE_MS: '1000' } });
    try {
      const sse = await sseFrames(
        `${stack.url}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `AccessKey ${SEED.accessKeys.demo}` }, body: JSON.stringify({ query: SIMPLE }) },
        (text) => (text.match(/^:\n\n/gm) ?? []).length >= 3,
      );
      expect(sse.status).toBe(200);
      expect(sse.text).not.toContain('event: next');
      const pings = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${stack.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
        let count = 0;
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `AccessKey ${SEED.accessKeys.demo}` } })));
        socket.on('ping', () => {
          if (++count === 2) {
            socket.close();
            resolve(count);
          }
        });
      });
      expect(pings).toBe(2);
    } finally {
      await stack.close();
    }
  });

  it('ends every stream with complete at shutdown (WebSockets close 1001) instead of waiting out the grace period', async () => {
    const stack = await startLiveStack({ env: { SHUTDOWN_TIMEOUT_MS: '600000' } });
    const sse = collect(stack.sse(), { query: SIMPLE });
    // Not lazy: the client keeps its socket after its last subscription completes, so the server's close shows.
    const wsClient = createClient({ url: `${stack.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, onNonLazyError: () => {} });
    const closed = new Promise<number>((resolve) => wsClient.on('closed', (event) => resolve((event as { code: number }).code)));
    const ws = collect(wsClient, { query: SIMPLE });
    await until(() => liveRuntimeOf(stack.app)!.hub.streaming === 2);
    stack.emulator.resetRequests();
    await stack.server.shutdown();
    await sse.completed;
    await ws.completed;
    expect(sse.errors).toEqual([]);
    expect(ws.errors).toEqual([]);
    expect(await closed).toBe(1001);
    expect(stack.serverLogs.join('\n')).not.toContain('grace period over');
    expect(liveRuntimeOf(stack.app)!.hub.size).toBe(0);
    expect(stack.requests.upstream().filter((r) => r.route === CHANNELS_ROUTE)).toEqual([]);
    await wsClient.dispose();
    await stack.close();
  });
});

describe('re-authorization of long-lived streams', () => {
  it('ends a stream whose key was revoked at its first event after SUBSCRIPTION_REAUTHORIZE_MS: one UNAUTHENTICATED result, then complete', async () => {
    const stack = await startLiveStack({ env: { SUBSCRIPTION_REAUTHORIZE_MS: '1000' } });
    try {
      await stack.register();
      const key = 'short-lived-key-0001';
      stack.emulator.store.addAccessKey(key, 'all');
      const sub = collect<{ data?: { messageUpdated: { status: string } } | null; errors?: unknown[] }>(stack.sse(key), { query: SIMPLE });
      await until(() => liveRuntimeOf(stack.app)!.hub.streaming === 1);
      const sent = await fetch(`${stack.emulator.url}/workspaces/${WS}/channels/${SEED.channels.sms.id}/messages`, {
        method: 'POST',
        headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
        body: JSON.stringify({ receiver: { contacts: [{ identifierValue: SEED.contacts[0]!.phone }] }, body: { type: 'text', text: { text: 'Hi' } } }),
      });
      const id = ((await sent.json()) as { id: string }).id;
      await sub.next(1);
      stack.emulator.store.accessKeys.delete(key);
      // Past the re-authorization interval (a wait, not a measured threshold).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      stack.emulator.resetRequests();
      stack.emulator.store.advanceMessage(WS, id);
      await sub.completed;
      expect(sub.errors).toEqual([]);
      expect(sub.results).toEqual([
        { data: { messageUpdated: { messageId: id, status: 'ACCEPTED' } } },
        { data: null, errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] },
      ]);
      expect(stack.requests.upstream().map((r) => r.route)).toEqual([CHANNELS_ROUTE]);
      expect(liveRuntimeOf(stack.app)!.hub.size).toBe(0);
    } finally {
      await stack.close();
    }
  });
});

describe('the receiver against real deliveries it must refuse', () => {
  it('answers 401 to real deliveries signed 10 minutes ago; Bird retries them and no subscriber sees them', async () => {
    const stack = await startLiveStack({ emulator: { now: () => Date.now() - 10 * 60 * 1000 } });
    try {
      await stack.register();
      const sub = collect(stack.sse(), { query: SIMPLE });
      await until(() => liveRuntimeOf(stack.app)!.hub.streaming === 1);
      await fetch(`${stack.emulator.url}/workspaces/${WS}/channels/${SEED.channels.sms.id}/messages`, {
        method: 'POST',
        headers: { authorization: `AccessKey ${SEED.accessKeys.demo}`, 'content-type': 'application/json' },
        body: JSON.stringify({ receiver: { contacts: [{ identifierValue: SEED.contacts[0]!.phone }] }, body: { type: 'text', text: { text: 'Hi' } } }),
      });
      // 4 attempts (1 + the harness's 3 retries), all refused.
      await until(() => stack.emulator.deliveries.some((d) => d.gaveUp));
      expect(stack.emulator.deliveries.map((d) => d.status)).toEqual(Array(4).fill(401));
      const metrics = await (await stack.fetch('/metrics')).text();
      expect(metrics).toMatch(/^bird_webhooks_received_total\{outcome="stale_timestamp",kind="none"\} 4$/m);
      sub.stop();
      expect(sub.results).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
