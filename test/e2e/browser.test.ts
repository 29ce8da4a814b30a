// The browser-test launcher: with no Debian Chromium it runs the npm package's binary, with the web's usual security rules.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, SKIP_BROWSER_TESTS, launchBrowser } from './browser.ts';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe.skipIf(SKIP_BROWSER_TESTS)('launchBrowser without /usr/bin/chromium', () => {
  let browser: LaunchedBrowser;
  let page: Server;
  let api: Server;
  let pageOrigin: string;
  let apiOrigin: string;

  beforeAll(async () => {
    page = createServer((_request, response) => response.end('<!doctype html><title>page</title><h1>ok</h1>'));
    // Answers JSON with no CORS headers: a page from another origin must not be able to read it.
    api = createServer((_request, response) => response.setHeader('content-type', 'application/json').end('{"secret":1}'));
    pageOrigin = await listen(page);
    apiOrigin = await listen(api);
    browser = await launchBrowser({ systemChromium: '/nonexistent/chromium' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await close(page);
    await close(api);
  });

  it('runs the Chromium inside @sparticuz/chromium, headless', async () => {
    expect(browser.source).toBe('npm');
    expect(browser.executablePath).toMatch(/bird-graphql-chromium-[\d.]+\/chromium$/);
    const tab = await browser.context.newPage();
    await tab.goto(pageOrigin);
    expect(await tab.locator('h1').innerText()).toBe('ok');
    expect(await tab.evaluate(() => navigator.userAgent)).toContain('HeadlessChrome');
    await tab.close();
  });

  it('keeps the same-origin policy: a cross-origin read without CORS headers fails', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(pageOrigin);
    const outcome = await tab.evaluate(async (url) => {
      try {
        return `read ${await (await fetch(url)).text()}`;
      } catch (error) {
        return `refused ${(error as Error).name}`;
      }
    }, `${apiOrigin}/`);
    expect(outcome).toBe('refused TypeError');
    // The same request from the API's own origin is readable: the refusal above is CORS, not a dead server.
    await tab.goto(`${apiOrigin}/`);
    expect(await tab.evaluate(async () => (await fetch('/')).text())).toBe('{"secret":1}');
    await tab.close();
  });
});
