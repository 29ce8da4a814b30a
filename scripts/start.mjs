// `npm start`: with NODE_ENV=production the built bundle (dist/server.mjs, built first when missing or older than the sources), otherwise the demo/development server from src/ through tsx.
import { setFlagsFromString } from 'node:v8';
import { BUNDLE, build, bundleState } from './build.mjs';

if (process.env.NODE_ENV === 'production') {
  const state = bundleState();
  if (state !== null) {
    console.log(`dist/server.mjs is ${state}: building it (npm run build).`);
    await build();
  }
  // V8 grows the old generation to several times its live size before collecting it: RSS under sustained load climbed
  // past 400 MiB. Growing it by 30 % at a time keeps it near 160 MiB (bench: RSS section), with no hard heap limit.
  setFlagsFromString('--heap-growing-percent=30');
  // In this process: no wrapper process, signals reach the server's own handlers.
  await import(BUNDLE);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/server.ts');
}
