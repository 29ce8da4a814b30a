// The emulator's list query modes: strict (unknown query names are 400) and ignore (named filters silently do nothing).
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, Page } from '../../src/bird/types.ts';
import { QUERY_NAMES } from '../../src/emulator/pages.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/server.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function get(options: Omit<EmulatorOptions, 'port'>, path: string): Promise<{ status: number; body: unknown }> {
  emulator ??= await startEmulator({ port: 0, rateLimits: false, ...options });
  const response = await fetch(`${emulator.url}${path}`, { headers: { authorization: `AccessKey ${SEED.accessKeys.demo}` } });
  return { status: response.status, body: await response.json() };
}

describe('strict mode', () => {
  it('refuses a query name a list does not implement with 400, naming it', async () => {
    const answer = await get({ strictQuery: true }, `/workspaces/${WS}/channels/${SMS}/messages?limit=2&from=%2B31600000000`);
    expect(answer).toEqual({ status: 400, body: { code: 'InvalidRequest', message: 'Bad request: unknown query parameter from' } });
  });

  it('accepts every name the route implements, and checks the routes a client reads', async () => {
    const ok = await get({ strictQuery: true }, `/workspaces/${WS}/channels/${SMS}/messages?limit=2&direction=incoming&status=delivered,sent&batchId=${SEED.batches.smsPromo}`);
    expect(ok.status).toBe(200);
    expect((await get({}, `/workspaces/${WS}/channels?limit=1&platform=sms&channelIds=${SMS}`)).status).toBe(200);
    // A name of the other message list is unknown here.
    expect((await get({}, `/workspaces/${WS}/channels/${SMS}/messages?channelId=${SMS}`)).status).toBe(400);
    expect(Object.keys(QUERY_NAMES)).toContain('GET /workspaces/:ws/messages');
  });

  it('is off by default: unknown names are ignored, as before', async () => {
    expect((await get({}, `/workspaces/${WS}/channels/${SMS}/messages?limit=2&from=x`)).status).toBe(200);
  });
});

describe('ignore mode', () => {
  it('answers as if the named filter were not there, while the other filters still apply', async () => {
    const path = `/workspaces/${WS}/channels/${SMS}/messages?limit=50&direction=incoming&status=delivered`;
    const ignoring = (await get({ ignoreFilters: ['direction'] }, path)).body as Page<Message>;
    expect(ignoring.results.some((m) => m.direction === 'outgoing')).toBe(true);
    expect(ignoring.results.every((m) => m.status === 'delivered')).toBe(true);
    await emulator!.close();
    emulator = undefined;
    const honest = (await get({}, path)).body as Page<Message>;
    expect(honest.results.every((m) => m.direction === 'incoming' && m.status === 'delivered')).toBe(true);
  });
});
