// The production build, one definition for `npm run build`, `npm start` and the bench: src/server.ts bundled by esbuild into dist/server.mjs (dependencies stay external).
import { statSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'dist', 'server.mjs');

/** esbuild's options; the target is the oldest Node line package.json's engines admit. */
export const BUILD_OPTIONS = Object.freeze({
  absWorkingDir: ROOT,
  entryPoints: ['src/server.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  target: 'node22',
  outfile: BUNDLE,
  logLevel: 'warning',
});

/** Bundles src/server.ts into dist/server.mjs. esbuild is a devDependency: a production image builds before it prunes. */
export async function build() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('Cannot build dist/server.mjs: esbuild is not installed (a dev dependency). Run `npm install` and `npm run build` where the sources are built.');
  }
  await esbuild.build(BUILD_OPTIONS);
}

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why dist/server.mjs must be (re)built: 'missing', 'stale' (older than src/ or package.json), or null when current. */
export function bundleState() {
  let built;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return 'missing';
  }
  let sources = 0;
  for (const path of [join(ROOT, 'src'), join(ROOT, 'package.json')]) {
    try {
      sources = Math.max(sources, newestMtime(path));
    } catch {
      // an image that ships only dist/ has no sources to compare with
    }
  }
  return sources > built ? 'stale' : null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build();
}
