// `npx tsx bench/profile.ts <operation> [extra-env-json]`: CPU profile of our server (node --cpu-prof) under wrk -t1 -c10 for 8 s
// on one canonical operation (message, page50, channels, filtered, send); prints the top self-time functions and packages.
import { startChild, freePort, buildOurs, OURS_SCRIPT } from './lib/processes.ts';
import { wrk } from './lib/measure.ts';
import { summarizeProfile } from './lib/profile.ts';
import { operations, prepare, ACCESS_KEY } from './lib/operations.ts';
import { SEED } from '../src/emulator/seed.ts';
import { Pool } from 'undici';
import { readdirSync, rmSync, mkdirSync } from 'node:fs';
const key = process.argv[2] ?? 'message';
const extra = JSON.parse(process.argv[3] ?? '{}');
const emu = await startChild({ name: 'emu', script: 'bench/emulator.ts', env: {}, ready: { kind: 'line' } });
const pool = new Pool(emu.url); await prepare(pool);
const op = operations().find((o) => o.key === key)!;
const dir = `${process.env.TMPDIR ?? '/tmp'}/bench-prof-${key}`; rmSync(dir, { recursive: true, force: true }); mkdirSync(dir);
await buildOurs();
const port = await freePort();
const ours = await startChild({ name: 'ours', script: OURS_SCRIPT, tsx: false, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], env: { NODE_ENV: 'production', PORT: String(port), BIRD_API_URL: emu.url, BIRD_ACCESS_KEY: ACCESS_KEY, BIRD_ORGANIZATION_ID: SEED.organizationId, LOG_LEVEL: 'warn', GRAPHIQL: 'false', BIRD_RATE_GET_PER_SECOND: 'off', BIRD_RATE_POST_PER_SECOND: 'off', ...extra }, ready: { kind: 'poll', url: `http://127.0.0.1:${port}`, path: '/health' } });
const spec = { url: `${ours.url}/graphql`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify(op.ours) };
const r = await wrk([spec], 1, 8, 10);
console.log('rps', r);
await ours.stop(); await emu.stop(); await pool.close();
const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'))!;
const s = summarizeProfile(`${dir}/${f}`, 40, 8000); // the 8 s of measured load, not start-up or warm-up
for (const row of s.functions) console.log(row.selfMs.toFixed(0).padStart(6), (row.share*100).toFixed(1).padStart(5), row.name);
console.log('---');
for (const row of s.packages) console.log(row.selfMs.toFixed(0).padStart(6), (row.share*100).toFixed(1).padStart(5), row.name);
