// Bench emulator process: the seeded emulator, rate limits OFF by default (the bench sends thousands of requests a second
// to one workspace; Bird's 50 GET/s would turn the latency run into a 429 test) or ON at Bird's 50 GET/s and 500 POST/s
// per workspace with BENCH_RATE_LIMITS=bird (the burst scenario). BENCH_COUNT=1 keeps the request log and opens a
// control port (BENCH_CONTROL_PORT) answering GET /requests (the log since the last reset), POST /reset and
// POST /latency?ms=N (every answer waits N ms first, a round trip to Bird).
import { createServer } from 'node:http';
import { startEmulator } from '../src/emulator/server.ts';

const port = Number(process.env.EMULATOR_PORT ?? 0);
const counting = process.env.BENCH_COUNT === '1';
const birdLimits = process.env.BENCH_RATE_LIMITS === 'bird';
const emulator = await startEmulator({ port, ...(birdLimits ? {} : { rateLimits: false }), recordRequests: counting });

let controlUrl = '';
if (counting) {
  const control = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/reset') {
      emulator.resetRequests();
      res.writeHead(204).end();
      return;
    }
    const latency = /^\/latency\?ms=(\d+)$/.exec(req.url ?? '');
    if (req.method === 'POST' && latency) {
      emulator.setLatency(Number(latency[1]));
      res.writeHead(204).end();
      return;
    }
    const body = JSON.stringify(emulator.requests.map((r) => ({ method: r.method, route: r.route, path: r.path, query: r.query, status: r.status, at: r.at })));
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => control.listen(Number(process.env.BENCH_CONTROL_PORT ?? 0), '127.0.0.1', resolve));
  const address = control.address();
  controlUrl = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
}
// The parent reads this one line to learn the ports.
console.log(JSON.stringify({ ready: true, url: emulator.url, controlUrl }));

const stop = () => void emulator.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
