// Child processes of the bench: each target runs in its own Node process (TypeScript through the tsx loader; our
// server as production starts it, `npm start` with NODE_ENV=production → dist/server.mjs), so no target shares an
// event loop or heap with the load generator or with another target.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../scripts/build.mjs';
import { SEED } from '../../src/emulator/seed.ts';
import { ACCESS_KEY } from './operations.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Child {
  name: string;
  proc: ChildProcess;
  url: string;
  /** Extra fields of the ready line (the emulator's controlUrl). */
  info: Record<string, unknown>;
  stderr: () => string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  name: string;
  /** Script path relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Load TypeScript through tsx (default); false for plain JavaScript such as the production build (dist/). */
  tsx?: boolean;
  /** A command Node runs under, e.g. ['valgrind', '--tool=callgrind']: the child is `<wrapper…> node <args>`. */
  wrapper?: string[];
  /** How the child says it is ready: a JSON line `{ready:true,url}` on stdout, or a URL answering 200. */
  ready: { kind: 'line' } | { kind: 'poll'; url: string; path: string };
  timeoutMs?: number;
}

export async function startChild(options: StartOptions): Promise<Child> {
  const loader = options.tsx === false ? [] : ['--import', 'tsx'];
  const [command, ...wrapperArgs] = options.wrapper ?? [];
  const nodeArgs = [...loader, ...(options.nodeArgs ?? []), options.script];
  const proc = spawn(command ?? process.execPath, command ? [...wrapperArgs, process.execPath, ...nodeArgs] : nodeArgs, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.length > 1_000_000) stdout = stdout.slice(-100_000);
  });
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 1_000_000) stderr = stderr.slice(-100_000);
  });
  // Settled once the process is gone, whether it exited or was killed by a signal (then exitCode stays null).
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let url = '';
  let info: Record<string, unknown> = {};
  for (;;) {
    if (gone) throw new Error(`${options.name} exited with ${proc.exitCode ?? proc.signalCode}:\n${stderr.slice(-2000)}\n${stdout.slice(-2000)}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${options.name} did not become ready:\n${stderr.slice(-2000)}`);
    }
    if (options.ready.kind === 'line') {
      const line = stdout.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) {
        info = JSON.parse(line) as Record<string, unknown>;
        url = info.url as string;
        break;
      }
    } else {
      try {
        const res = await fetch(options.ready.url + options.ready.path);
        await res.arrayBuffer();
        if (res.ok) {
          url = options.ready.url;
          break;
        }
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: options.name,
    proc,
    url,
    info,
    stderr: () => stderr,
    stop: async () => {
      if (gone || proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Our server as production runs it: `npm start` with NODE_ENV=production (scripts/start.mjs: the bundle
 * dist/server.mjs in plain Node, no runtime transpiler, with its V8 heap setting). The bench builds the bundle first.
 */
/**
 * Our server's environment in the bench, the soak and the instruction counts: production, the emulator as Bird with the
 * seed's key and organization, warn-level logs, no GraphiQL, pacing off unless `pacing` (the emulator enforces no limits).
 */
export function oursEnv(emulatorUrl: string, port: number, extra: Record<string, string> = {}, pacing = false): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    BIRD_API_URL: emulatorUrl,
    BIRD_ACCESS_KEY: ACCESS_KEY,
    BIRD_ORGANIZATION_ID: SEED.organizationId,
    LOG_LEVEL: 'warn',
    GRAPHIQL: 'false',
    // The bench emulator enforces no rate limits: pacing to Bird's 50 GET/s per workspace would measure the pacing.
    BIRD_RATE_GET_PER_SECOND: 'off',
    BIRD_RATE_POST_PER_SECOND: 'off',
    ...extra,
  };
  // The burst scenario runs the shipped pacing (Bird's 50 GET/s and 500 POST/s per workspace) against Bird's limits.
  if (pacing) {
    delete env.BIRD_RATE_GET_PER_SECOND;
    delete env.BIRD_RATE_POST_PER_SECOND;
  }
  return env;
}

export const OURS_SCRIPT = 'scripts/start.mjs';
/** The same build as `npm run build` and `npm start` (scripts/build.mjs). */
export async function buildOurs(): Promise<void> {
  await build();
}
