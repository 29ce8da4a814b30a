// `npm start`: with NODE_ENV=production the built bundle (dist/server.mjs, built first when missing or older than the sources), otherwise the demo/development server from src/ through tsx.
import { BUNDLE, build, bundleState } from './build.mjs';

if (process.env.NODE_ENV === 'production') {
  const state = bundleState();
  if (state !== null) {
    console.log(`dist/server.mjs is ${state}: building it (npm run build).`);
    await build();
  }
  // In this process: no wrapper process, signals reach the server's own handlers.
  await import(BUNDLE);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/server.ts');
}
