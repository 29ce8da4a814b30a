// Process entry: load config, start the emulator first in demo mode, create the client and app, listen, drain on SIGTERM.
import { DEFAULT_QUERY, GRAPHQL_PATH, createApp, metricsHandler } from './app.ts';
import { createBirdClient } from './bird/client.ts';
import { type Config, birdClientOptions, loadConfig } from './config.ts';
import type { Emulator } from './emulator/server.ts';
import { type RunningServer, startServer } from './lifecycle.ts';

/** What a human types: `localhost` for wildcard and loopback binds, else the configured host. */
function displayHost(host: string): string {
  return ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** The default query on one line, for the printed curl example. */
function oneLine(query: string): string {
  return query
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function banner(config: Config, appUrl: string, emulatorUrl: string | null): string {
  const body = JSON.stringify({ query: oneLine(DEFAULT_QUERY) }).replaceAll("'", "'\\''");
  const graphiql = config.graphiql ? `${appUrl}${GRAPHQL_PATH}` : `${appUrl}${GRAPHQL_PATH}  (GraphiQL off: GRAPHIQL=false)`;
  const lines = [
    '',
    `Bird GraphQL is listening${config.demo ? ' in demo mode (embedded Bird emulator, seeded data)' : ''}.`,
    '',
    `  GraphQL / GraphiQL  ${graphiql}`,
  ];
  if (emulatorUrl !== null) {
    lines.push(`  Bird emulator       ${emulatorUrl}`);
    lines.push(`  Demo access key     ${config.bird.accessKey}  (the server uses it when a request has no Authorization header)`);
  } else {
    lines.push(`  Bird API            ${config.bird.apiUrl}`);
    lines.push(
      config.bird.accessKey === null
        ? '  Access key          none on the server: each request must send Authorization: AccessKey <key>'
        : '  Access key          server key set (BIRD_ACCESS_KEY); a request may send its own Authorization header',
    );
  }
  lines.push(
    '',
    'Sample query (also the GraphiQL default):',
    ...DEFAULT_QUERY.trimEnd()
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .map((line) => `  ${line}`),
    '',
    'With curl:',
    `  curl -s ${appUrl}${GRAPHQL_PATH} -H 'content-type: application/json'${config.bird.accessKey === null ? " -H 'authorization: AccessKey <key>'" : ''} -d '${body}'`,
    '',
    'Press Ctrl+C to stop.',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
    return;
  }

  let emulator: Emulator | null = null;
  if (config.demo) {
    // Loaded only in demo mode: a production process never imports the emulator.
    const [{ startEmulator }, { SEED }] = await Promise.all([import('./emulator/server.ts'), import('./emulator/seed.ts')]);
    try {
      emulator = await startEmulator({ port: config.emulatorPort, lifecycle: 2000 });
    } catch (error) {
      console.error(
        isAddressInUse(error)
          ? `Cannot start the Bird emulator: port ${config.emulatorPort} is already in use.\n` +
              'Stop whatever listens there, or pick another port, e.g. EMULATOR_PORT=4011 npm start.'
          : `Cannot start the Bird emulator: ${(error as Error).message}`,
      );
      process.exitCode = 1;
      return;
    }
    // The emulator serves both the API and media origins; EMULATOR_PORT=0 means the port is only known now.
    // Its seeded organization is the default one, so organization-level queries work out of the box.
    config = Object.freeze({
      ...config,
      bird: Object.freeze({
        ...config.bird,
        apiUrl: emulator.url,
        mediaUrl: emulator.url,
        // Media downloads are redirected to the emulator's object store, a plain-http origin of its own.
        mediaRedirectOrigins: [...config.bird.mediaRedirectOrigins, emulator.objectStore.url],
        organizationId: config.bird.organizationId ?? SEED.organizationId,
      }),
    });
  }

  const bird = createBirdClient(birdClientOptions(config.bird));
  const yoga = createApp({ config, bird });

  const closeUpstreams = async () => {
    await bird.close();
    await emulator?.close();
  };

  let running: RunningServer;
  try {
    running = await startServer({
      handler: yoga,
      port: config.port,
      host: config.host,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      timeouts: config.http,
      ...(config.metricsPort !== null && metricsHandler(yoga) ? { metrics: { port: config.metricsPort, host: config.host, handler: metricsHandler(yoga)! } } : {}),
      onDrained: async () => {
        await yoga.dispose();
        await closeUpstreams();
      },
      log: (message) => console.log(message),
    });
  } catch (error) {
    console.error(
      isAddressInUse(error)
        ? `Cannot listen on ${config.host}:${config.port}: the port is already in use. Stop the other process or set PORT.`
        : `Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
    );
    await closeUpstreams();
    process.exitCode = 1;
    return;
  }

  const appUrl = `http://${displayHost(config.host)}:${config.port}`;
  const emulatorUrl = emulator ? emulator.url.replace('127.0.0.1', 'localhost') : null;
  console.log(banner(config, appUrl, emulatorUrl));

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: shutting down.`);
    // Stop accepting, close idle keep-alive sockets, let busy ones finish; after the grace period close them too;
    // then dispose the app (tracing flush, readiness pool) and close the Bird pool (src/lifecycle.ts).
    await running.shutdown();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        console.error('Shutdown failed:', (error as Error).message);
        process.exit(1);
      });
    });
  }
}

await main();
