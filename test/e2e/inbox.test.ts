// The inbox example (examples/inbox) in Chromium, served as `npm run example:inbox` serves it: paging both ways, a send whose status goes live to delivered, live updates, interactions, and nothing requested beyond 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, WINDOW_SIZE } from '../../examples/inbox/src/window.ts';
import { ROOT, freePort } from '../../bench/lib/processes.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type LaunchedBrowser, SKIP_BROWSER_TESTS, launchBrowser } from './browser.ts';

const WS = SEED.workspaces.main.id;
const SMS = SEED.channels.sms.id;
const EMAIL = SEED.channels.email.id;
const KEY = SEED.accessKeys.demo;
const FLOW = ['ACCEPTED', 'PROCESSING', 'SENT', 'DELIVERED'];
/** A generous wait for text the page is expected to show; never a speed claim. */
const WAIT = { timeout: 30_000, interval: 100 };

function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

interface Served {
  proc: ChildProcess;
  pageUrl: string;
  graphqlUrl: string;
  emulatorUrl: string;
  output: () => string;
}

/** `npm run example:inbox` (its script, through tsx as npm runs it) on free ports, with a fast demo lifecycle that never fails. */
async function serveInbox(): Promise<Served> {
  const [port, emulatorPort, inboxPort] = [await freePort(), await freePort(), await freePort()];
  const proc = spawn(process.execPath, ['--import', 'tsx', 'examples/inbox/serve.ts'], {
    cwd: ROOT,
    // Its own process group: stopping the group also stops the demo server it started.
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      INBOX_PORT: String(inboxPort),
      DEMO_STATUS_STEP_MS: '300',
      DEMO_FAILURE_RATE: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example:inbox did not start:\n${output}`)), 90_000);
    const check = () => {
      if (!output.includes('Inbox example is running.')) return;
      clearTimeout(timer);
      resolve();
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`example:inbox exited with ${code}:\n${output}`));
    });
  });
  return {
    proc,
    pageUrl: `http://127.0.0.1:${inboxPort}/`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    output: () => output,
  };
}

async function stopInbox(served: Served): Promise<void> {
  if (served.proc.exitCode !== null) return;
  const exited = new Promise((resolve) => served.proc.once('exit', resolve));
  served.proc.kill('SIGTERM');
  const force = setTimeout(() => process.kill(-served.proc.pid!, 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(force);
}

describe.skipIf(SKIP_BROWSER_TESTS)('the inbox example in Chromium', () => {
  let served: Served;
  let browser: LaunchedBrowser;
  let page: Page;
  const requested: string[] = [];
  const pageErrors: string[] = [];
  /** Queries and mutations the page sent (JSON POSTs to /graphql), as opposed to its SSE subscriptions. */
  const operations: string[] = [];
  const subscriptions: string[] = [];

  /** The emulator's own REST answer (the ground truth), with the demo key. */
  async function rest<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${served.emulatorUrl}${path}`, {
      ...init,
      headers: { authorization: `AccessKey ${KEY}`, 'content-type': 'application/json', ...init.headers },
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
  const listed = async (channelId: string, limit = 100) =>
    (await rest<{ results: { id: string; status: string }[] }>(`/workspaces/${WS}/channels/${channelId}/messages?limit=${limit}`)).results;
  const shownIds = () => page.locator('#messages li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-message-id')));
  const rowStatus = (messageId: string) => page.locator(`#messages li[data-message-id="${messageId}"] .status`).getAttribute('data-status', { timeout: 1_000 }).catch(() => null);

  beforeAll(async () => {
    served = await serveInbox();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    browser.context.on('request', (request: Request) => {
      requested.push(request.url());
      if (request.url() !== served.graphqlUrl || request.method() !== 'POST') return;
      const body = request.postData() ?? '';
      // graphql-sse asks for the event stream alone; urql's fetch also lists it, after JSON (incremental delivery).
      if (request.headers().accept === 'text/event-stream') subscriptions.push(body);
      else operations.push(body);
    });
    page.on('websocket', (socket) => requested.push(socket.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    if (served) await stopInbox(served);
  }, 60_000);

  it('opens on the SMS channel and pages older and newer with cursors, matching the emulator listing', async () => {
    const truth = (await listed(SMS)).map((m) => m.id);
    expect(truth.length).toBeGreaterThanOrEqual(WINDOW_SIZE + PAGE_SIZE);

    await page.goto(served.pageUrl);
    await expect.poll(shownIds, WAIT).toEqual(truth.slice(0, PAGE_SIZE));
    expect(new URL(page.url()).hash).toBe(`#/${WS}/${SMS}`);
    expect(await page.locator('#channel').inputValue()).toBe(`#/${WS}/${SMS}`);
    await expect.poll(() => page.locator('#live').getAttribute('data-state'), WAIT).toBe('live');
    expect(await page.locator('#newer').isDisabled()).toBe(true);

    // first/after: older pages append until the window is full, then the newest page is dropped.
    await page.click('#older');
    await expect.poll(shownIds, WAIT).toEqual(truth.slice(0, 2 * PAGE_SIZE));
    await page.click('#older');
    await expect.poll(shownIds, WAIT).toEqual(truth.slice(0, WINDOW_SIZE));
    await page.click('#older');
    await expect.poll(shownIds, WAIT).toEqual(truth.slice(PAGE_SIZE, PAGE_SIZE + WINDOW_SIZE));
    expect(await page.locator('#newer').isDisabled()).toBe(false);

    // last/before from the cursor of an edge a forward page returned: the dropped page comes back, nothing twice.
    await page.click('#newer');
    await expect.poll(shownIds, WAIT).toEqual(truth.slice(0, WINDOW_SIZE));
    await expect.poll(() => page.locator('#newer').isDisabled(), WAIT).toBe(true);
    expect(await page.locator('#older').isDisabled()).toBe(false);

    const pages = operations.filter((body) => body.includes('ChannelMessagesPage')).map((body) => (JSON.parse(body) as { variables: Record<string, unknown> }).variables);
    expect(pages.map(({ first, after, last, before }) => [first ?? null, after ? 'after' : null, last ?? null, before ? 'before' : null])).toEqual([
      [PAGE_SIZE, null, null, null],
      [PAGE_SIZE, 'after', null, null],
      [PAGE_SIZE, 'after', null, null],
      [PAGE_SIZE, 'after', null, null],
      [null, null, PAGE_SIZE, 'before'],
    ]);
  }, 120_000);

  it('sends a text and shows its status reach DELIVERED live, without a reload', async () => {
    const before = new Set((await listed(SMS, 5)).map((m) => m.id));
    // Survives only if the page is never reloaded.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { inboxMarker: 'same page', sentStatuses: seen });
      const status = document.getElementById('send-status')!;
      new MutationObserver(() => {
        const shown = status.querySelector('.status')?.getAttribute('data-status');
        if (shown && seen.at(-1) !== shown) seen.push(shown);
      }).observe(status, { childList: true, subtree: true, attributes: true });
    });
    const text = `Your order shipped (${Date.now().toString(36)})`;
    await page.fill('#to', '+31612345678');
    await page.fill('#text', text);
    await page.click('#send-button');

    await expect.poll(() => page.locator('#send-status').getAttribute('data-message-id'), WAIT).toMatch(/^[0-9a-f-]{36}$/);
    const messageId = (await page.locator('#send-status').getAttribute('data-message-id'))!;
    expect(before.has(messageId)).toBe(false);
    // It is brought into the list at the top (a page loaded with last/before), and its row follows the live status.
    await expect.poll(async () => (await shownIds())[0], WAIT).toBe(messageId);
    await expect.poll(() => rowStatus(messageId), WAIT).toBe('DELIVERED');
    await expect.poll(() => page.locator('#send-status .status').getAttribute('data-status'), WAIT).toBe('DELIVERED');
    expect(await page.locator(`#messages li[data-message-id="${messageId}"] .text`).innerText()).toBe(text);

    // Shown in order and never going back: a subsequence of the lifecycle that ends delivered.
    const seen = (await page.evaluate(() => (window as unknown as { sentStatuses: string[] }).sentStatuses)) as string[];
    expect(seen.at(-1)).toBe('DELIVERED');
    expect(seen.map((s) => FLOW.indexOf(s))).toEqual([...seen.map((s) => FLOW.indexOf(s))].sort((a, b) => a - b));
    expect(seen.every((s) => FLOW.includes(s))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { inboxMarker?: string }).inboxMarker)).toBe('same page');
    // Bird's record agrees.
    expect((await rest<{ status: string }>(`/workspaces/${WS}/channels/${SMS}/messages/${messageId}`)).status).toBe('delivered');
    // Statuses arrive over GraphQL over SSE (messageUpdated), one stream per subscription.
    expect(subscriptions.some((body) => body.includes('messageUpdated'))).toBe(true);
  }, 90_000);

  it('updates a shown message from the live stream alone, with no request of the page', async () => {
    // A seeded message of the window still on its way; it moves to a final status at once (no demo timer after it).
    const truth = await listed(SMS);
    const shown = new Set(await shownIds());
    const target = truth.find((m) => shown.has(m.id) && ['accepted', 'processing', 'sent'].includes(m.status));
    expect(target).toBeDefined();
    expect(await rowStatus(target!.id)).toBe(target!.status.toUpperCase());
    const sentBefore = operations.length;

    await rest(`/_emulator/messages/${target!.id}/status`, { method: 'POST', body: JSON.stringify({ status: 'delivered' }) });
    await expect.poll(() => rowStatus(target!.id), WAIT).toBe('DELIVERED');
    expect(operations.length).toBe(sentBefore);
  }, 60_000);

  it('shows an incoming message as it arrives', async () => {
    const text = `Where is my parcel? (${Date.now().toString(36)})`;
    const incoming = await rest<{ id: string }>('/_emulator/inbound', { method: 'POST', body: JSON.stringify({ channelId: SMS, text }) });
    await expect.poll(async () => (await shownIds())[0], WAIT).toBe(incoming.id);
    const row = page.locator(`#messages li[data-message-id="${incoming.id}"]`);
    expect(await row.getAttribute('data-direction')).toBe('INCOMING');
    expect(await row.locator('.text').innerText()).toBe(text);
  }, 60_000);

  it("shows a message's interactions, and new ones as they happen", async () => {
    // The email channel from the picker, then the seeded email with opened/clicked interactions by its link.
    await page.selectOption('#channel', `#/${WS}/${EMAIL}`);
    const emails = (await listed(EMAIL)).map((m) => m.id);
    await expect.poll(shownIds, WAIT).toEqual(emails.slice(0, PAGE_SIZE));
    const seeded = SEED.messages.emailWithInteractions;
    const truth = (await rest<{ results: { id: string; type: string }[] }>(`/workspaces/${WS}/channels/${EMAIL}/messages/${seeded.id}/interactions`)).results;
    expect(truth).toHaveLength(seeded.interactions);
    expect(seeded.interactions).toBeGreaterThan(0);

    await page.evaluate((hash) => (location.hash = hash), `#/${WS}/${EMAIL}/${seeded.id}`);
    const items = page.locator('#interactions li');
    await expect.poll(() => items.evaluateAll((li) => li.map((item) => item.getAttribute('data-interaction-id'))), WAIT).toEqual(truth.map((i) => i.id));
    expect(await items.evaluateAll((li) => li.map((item) => item.getAttribute('data-type')))).toEqual(truth.map((i) => i.type.toUpperCase()));
    expect(await page.locator('#details').isHidden()).toBe(false);

    // Live: an interaction on the open message (interactionAdded) shows at the top of its list.
    await expect.poll(() => page.locator('#live').getAttribute('data-state'), WAIT).toBe('live');
    const added = await rest<{ id: string }>('/_emulator/interactions', {
      method: 'POST',
      body: JSON.stringify({ messageId: seeded.id, type: 'clicked', metadata: { link: { url: 'https://acme.example/track' } } }),
    });
    await expect.poll(() => items.first().getAttribute('data-interaction-id'), WAIT).toBe(added.id);
    expect(await items.count()).toBe(truth.length + 1);
    expect(await items.first().innerText()).toContain('https://acme.example/track');

    await page.click('#close-details');
    await expect.poll(() => page.locator('#details').isHidden(), WAIT).toBe(true);
  }, 60_000);

  it('loaded nothing from beyond 127.0.0.1, raised no page error, and its CORS admits only its own origin', async () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !isLocal(url))).toEqual([]);
    expect(pageErrors).toEqual([]);

    const preflight = (origin: string) =>
      fetch(served.graphqlUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const pageOrigin = new URL(served.pageUrl).origin;
    expect((await preflight(pageOrigin)).headers.get('access-control-allow-origin')).toBe(pageOrigin);
    expect((await preflight('http://127.0.0.1:9')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
