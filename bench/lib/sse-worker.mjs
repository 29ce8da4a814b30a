// A raw, light GraphQL-over-SSE reader for the bench's live section (a worker thread): opens many subscriptions (one HTTP connection each), timestamps every `next` event on arrival, and counts.
//
// Plain JavaScript and node:http only, so worker threads need no loader; it parses just enough of the stream
// (`event: next` + `data:` lines, blank-line separated) to read the event's messageId and status.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ targets: { url: string, count: number, replica: number }[], body: string, headers: Record<string, string>, batch: number }} */
const config = workerData;
const now = () => performance.timeOrigin + performance.now();

/** @type {{ replica: number, received: number, req?: http.ClientRequest, res?: http.IncomingMessage }[]} */
const subs = [];
/** Arrival times per event key (`messageId:status`), collected until the parent asks for them. */
let arrivals = new Map();
let recording = true;
let failed = 0;
/** @type {string | undefined} */
let firstError;

function open(replica, url) {
  return new Promise((resolve) => {
    const sub = { replica, received: 0 };
    subs.push(sub);
    const target = new URL('/graphql', url);
    const req = http.request(target, {
      method: 'POST',
      agent: false, // one socket per subscription, as a browser tab's EventSource has
      headers: { ...config.headers, 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(config.body) },
    });
    sub.req = req;
    req.once('response', (res) => {
      sub.res = res;
      if (res.statusCode !== 200) {
        failed++;
        firstError ??= `HTTP ${res.statusCode}`;
        res.resume();
        resolve(false);
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        const t = now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (!block.startsWith('event: next')) continue; // heartbeats (`:`), `complete`
          sub.received++;
          if (!recording) continue;
          const id = /"messageId":"([^"]+)"/.exec(block)?.[1];
          const status = /"status":"([^"]+)"/.exec(block)?.[1];
          const key = `${id}:${status?.toLowerCase()}`;
          let list = arrivals.get(key);
          if (!list) arrivals.set(key, (list = []));
          list.push(t);
          if (block.includes('"errors"')) firstError ??= block.slice(0, 300);
        }
      });
      res.once('error', () => {});
      resolve(true);
    });
    req.once('error', (error) => {
      failed++;
      firstError ??= error.message;
      resolve(false);
    });
    req.end(config.body);
  });
}

/** The fewest events any one subscription received, per replica (the parent's measure of "every subscriber got it"). */
function minima() {
  const min = {};
  const total = {};
  for (const s of subs) {
    min[s.replica] = Math.min(min[s.replica] ?? Number.POSITIVE_INFINITY, s.received);
    total[s.replica] = (total[s.replica] ?? 0) + s.received;
  }
  return { min, total };
}

parentPort.on('message', async (message) => {
  if (message.type === 'open') {
    const jobs = config.targets.flatMap((t) => Array.from({ length: t.count }, () => [t.replica, t.url]));
    for (let i = 0; i < jobs.length; i += config.batch) await Promise.all(jobs.slice(i, i + config.batch).map(([replica, url]) => open(replica, url)));
    parentPort.postMessage({ type: 'opened', open: subs.length - failed, failed, firstError });
  } else if (message.type === 'counts') {
    parentPort.postMessage({ type: 'counts', ...minima() });
  } else if (message.type === 'record') {
    recording = message.on;
    parentPort.postMessage({ type: 'recorded' });
  } else if (message.type === 'collect') {
    const out = Object.fromEntries(arrivals);
    arrivals = new Map();
    parentPort.postMessage({ type: 'collected', arrivals: out, firstError });
  } else if (message.type === 'close') {
    for (const s of subs) {
      s.res?.destroy();
      s.req?.destroy();
    }
    parentPort.postMessage({ type: 'closed' });
  }
});
parentPort.postMessage({ type: 'ready' });
