// `npm run example:inbox`: starts the demo server (`npm start`, embedded Bird emulator) with CORS for the page's origin, then the page's Vite dev server; Ctrl+C stops both.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ViteDevServer, createServer } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG_FILE = fileURLToPath(new URL('./vite.config.ts', import.meta.url));
/** src/server.ts prints this once it listens and has registered the demo webhooks, so live updates flow from then on. */
const SERVER_READY = 'Bird GraphQL is listening';
const STARTUP_TIMEOUT_MS = 60_000;

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new Error(`${name} must be a port number (got ${JSON.stringify(raw)})`);
  return value;
}

/** The demo server as `npm start` runs it, plus the page's origins in CORS_ORIGINS; resolves once it is ready. */
function startDemoServer(graphqlPort: number, pageOrigins: string[]): Promise<ChildProcess> {
  const ownOrigins = [`http://localhost:${graphqlPort}`, `http://127.0.0.1:${graphqlPort}`];
  const corsOrigins = [...new Set([...(process.env.CORS_ORIGINS?.split(',').map((o) => o.trim()).filter((o) => o && o.toLowerCase() !== 'none') ?? ownOrigins), ...pageOrigins])];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { LOG_LEVEL: 'warn', ...process.env, DEMO: 'true', PORT: String(graphqlPort), CORS_ORIGINS: corsOrigins.join(',') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`the demo server did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(SERVER_READY)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // its banner and later logs are not ours to print; the page's banner says what matters
      child.off('exit', onExit);
      resolve(child);
    };
    const onExit = (code: number | null) => fail(new Error(`the demo server exited (code ${code}) before it was ready${output ? `:\n${output}` : ''}`));
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

async function main(): Promise<void> {
  const pagePort = port('INBOX_PORT', 5173);
  const pageOrigins = [`http://localhost:${pagePort}`, `http://127.0.0.1:${pagePort}`];
  // INBOX_GRAPHQL_URL: a server you already run; its CORS_ORIGINS must list the page's origin.
  const external = process.env.INBOX_GRAPHQL_URL;
  const graphqlPort = port('PORT', 4000);
  const graphqlUrl = external ?? `http://127.0.0.1:${graphqlPort}/graphql`;

  let server: ChildProcess | null = null;
  if (external === undefined) {
    try {
      server = await startDemoServer(graphqlPort, pageOrigins);
    } catch (error) {
      console.error(
        `Cannot start the demo server: ${(error as Error).message}\n` +
          `If \`npm start\` already runs on port ${graphqlPort}, stop it, or use it: ` +
          `start it with CORS_ORIGINS=${pageOrigins.join(',')} and run INBOX_GRAPHQL_URL=http://localhost:${graphqlPort}/graphql npm run example:inbox.`,
      );
      process.exitCode = 1;
      return;
    }
  }

  let vite: ViteDevServer;
  try {
    vite = await createServer({
      configFile: CONFIG_FILE,
      server: { port: pagePort },
      define: { 'import.meta.env.VITE_GRAPHQL_URL': JSON.stringify(graphqlUrl) },
      clearScreen: false,
    });
    await vite.listen();
  } catch (error) {
    console.error(`Cannot start the page's dev server on port ${pagePort}: ${(error as Error).message} (set INBOX_PORT to use another port).`);
    server?.kill('SIGTERM');
    process.exitCode = 1;
    return;
  }

  const emulatorPort = process.env.EMULATOR_PORT || '4010';
  console.log(
    [
      '',
      'Inbox example is running.',
      '',
      `  Page              http://localhost:${pagePort}/`,
      `  GraphQL           ${graphqlUrl}${server ? '  (demo server, embedded Bird emulator)' : ''}`,
      ...(server
        ? [
            `  Bird emulator     http://localhost:${emulatorPort}`,
            '',
            'Make an incoming message arrive on the SMS channel:',
            `  curl -s http://localhost:${emulatorPort}/_emulator/inbound -H 'authorization: AccessKey demo-access-key' -H 'content-type: application/json' -d '{"channelId":"c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f601","text":"Where is my parcel?"}'`,
          ]
        : [`  (the server's CORS_ORIGINS must list ${pageOrigins[0]})`]),
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  // Vite ends the process on SIGTERM itself (after closing its server), so the demo server is also told on exit.
  let told = false;
  const stopServer = () => {
    if (told || !server || server.exitCode !== null || server.signalCode !== null) return;
    told = true; // once: a second signal makes the server exit without draining
    server.kill('SIGTERM');
  };
  process.once('exit', stopServer);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // Ctrl+C reaches the server too (one terminal process group): it shuts down on its own. Anything else is passed on.
    if (signal !== 'SIGINT') stopServer();
    await vite.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      const force = setTimeout(stopServer, 15_000);
      await exited;
      clearTimeout(force);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
  server?.once('exit', (code) => {
    if (stopping) return;
    console.error(`The demo server stopped (code ${code}); stopping the page.`);
    process.exitCode = 1;
    void stop('SIGTERM');
  });
}

await main();
