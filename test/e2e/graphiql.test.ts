// GraphiQL in a real Chromium (VERIFY.md d): the default query runs end to end and the page never leaves localhost.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestStack, startTestStack } from '../helpers.ts';
import { type LaunchedBrowser, SKIP_BROWSER_TESTS, launchBrowser } from './browser.ts';

/** Monaco renders spaces as U+00A0; compare editor text after normalising them. */
const normalise = (text: string) => text.replace(/\u00a0/g, ' ');

function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

describe.skipIf(SKIP_BROWSER_TESTS)('GraphiQL in Chromium', () => {
  let stack: TestStack;
  let server: Server;
  let browser: LaunchedBrowser;
  let origin: string;

  beforeAll(async () => {
    // The page sends no Authorization header: the server key (the emulator's demo key) applies, as in `npm start`.
    stack = await startTestStack({ authorization: null });
    server = createServer(stack.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // /usr/bin/chromium when installed, else the binary inside @sparticuz/chromium (inflated on first use).
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await stack?.close();
  });

  it('runs the default query and shows the result, loading nothing from outside', async () => {
    const requested: string[] = [];
    const pageErrors: Error[] = [];
    browser.context.on('request', (request) => requested.push(request.url()));
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error));

    await page.goto(`${origin}/graphql`);
    const button = page.locator('.graphiql-execute-button');
    await button.waitFor({ state: 'visible', timeout: 30_000 });

    // GraphiQL also POSTs an introspection query on load; wait for the operation the button sends.
    const executed = page.waitForResponse(
      (response) =>
        response.url() === `${origin}/graphql` &&
        response.request().method() === 'POST' &&
        !(response.request().postData() ?? '').includes('__schema'),
      { timeout: 30_000 },
    );
    await button.click();
    const response = await executed;
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data).toBeTypeOf('object');
    const firstField = Object.keys(body.data ?? {})[0];
    expect(firstField).toBeDefined();
    // What a newcomer sees first: a workspace whose first channel has messages.
    type Shown = { workspaces: { edges: { node: { channels: { edges: { node: { messages: { edges: unknown[] } } }[] } } }[] } };
    const firstChannel = (body.data as Shown).workspaces.edges[0]?.node.channels.edges[0]?.node;
    expect(firstChannel?.messages.edges).toHaveLength(2);

    // The result pane (a Monaco editor) shows the response.
    const pane = page.locator('.graphiql-response');
    await expect.poll(async () => normalise(await pane.innerText()), { timeout: 15_000 }).toContain(`"${firstField}"`);
    const shown = normalise(await pane.innerText());
    expect(shown).toContain('"data"');
    for (const [key, value] of Object.entries(body.data ?? {})) {
      if (typeof value === 'string') expect(shown).toContain(`"${key}": "${value}"`);
    }

    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !isLocal(url))).toEqual([]);
    expect(pageErrors.map((error) => error.message)).toEqual([]);
  }, 90_000);
});
