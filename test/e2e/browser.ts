// Launches Chromium for the browser tests: /usr/bin/chromium when installed, else the binary shipped in the npm package @sparticuz/chromium.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import packagedChromium from '@sparticuz/chromium';
import { type BrowserContext, chromium } from 'playwright-core';

/** Browser tests are skipped only on explicit request; CI (.ci/run) always runs them. */
export const SKIP_BROWSER_TESTS = process.env.SKIP_BROWSER_TESTS === '1';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for either binary: no first-run UI and no background traffic, so every request a page makes is the page's. */
const QUIET_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Of @sparticuz/chromium's own flags, dropped: its `--headless='shell'` (playwright passes its own with
 * `headless: true`), and the two that switch off web security, so pages run under the same-origin and mixed-content
 * rules users' browsers apply.
 */
const DROPPED_NPM_ARGS = [/^--headless/, /^--disable-web-security$/, /^--allow-running-insecure-content$/];

export interface LaunchedBrowser {
  context: BrowserContext;
  /** Which binary runs: the Debian package or the npm one. */
  source: 'system' | 'npm';
  executablePath: string;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Defaults to /usr/bin/chromium; a path that does not exist selects the npm binary. */
  systemChromium?: string;
}

/** A headless Chromium with a fresh profile. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const systemPath = options.systemChromium ?? SYSTEM_CHROMIUM;
  const binary = existsSync(systemPath)
    ? { source: 'system' as const, executablePath: systemPath, args: ['--headless', ...QUIET_ARGS] }
    : { source: 'npm' as const, ...(await npmChromium()) };
  const profile = mkdtempSync(join(tmpdir(), 'gql-ui-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: binary.executablePath,
      headless: true,
      args: binary.args,
    });
    return {
      context,
      source: binary.source,
      executablePath: binary.executablePath,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(
      `Chromium (${binary.source}: ${binary.executablePath}) did not start: ${(error as Error).message}\n` +
        `Install the Debian package (\`apt-get install -y chromium\`, used from ${SYSTEM_CHROMIUM}) or reinstall the ` +
        'devDependency @sparticuz/chromium (`npm ci`); SKIP_BROWSER_TESTS=1 skips the browser tests on this machine.',
    );
  }
}

/**
 * The binary inside @sparticuz/chromium, inflated once per package version into `<tmpdir>/bird-graphql-chromium-<v>`.
 * The package inflates into tmpdir() itself and treats an existing file as done, so concurrent or interrupted runs
 * could launch half a binary: it inflates here in a child process into a private directory, which is then renamed
 * into place (atomic; the loser of a race discards its copy).
 */
async function npmChromium(): Promise<{ executablePath: string; args: string[] }> {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  const kept = packagedChromium.args.filter((arg) => !DROPPED_NPM_ARGS.some((dropped) => dropped.test(arg)));
  const args = [...new Set([...kept, ...QUIET_ARGS])];
  const home = join(tmpdir(), `bird-graphql-chromium-${version}`);
  const executablePath = join(home, 'chromium');
  if (existsSync(executablePath)) return { executablePath, args };

  const staging = mkdtempSync(join(tmpdir(), 'bird-graphql-chromium-inflating-'));
  try {
    const script = `import c from ${JSON.stringify(pathToFileURL(entry).href)}; process.stdout.write(await c.executablePath());`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: staging },
    });
    if (stdout !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium inflated to ${stdout}, expected ${staging}`);
    try {
      renameSync(staging, home);
    } catch (error) {
      // Another process renamed its copy first; theirs is complete, this one goes.
      if (!existsSync(executablePath)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { executablePath, args };
}
