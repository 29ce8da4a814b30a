// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function (name, file:line), and per package.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileRow {
  name: string;
  selfMs: number;
  share: number;
}

function where(url: string): string {
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm !== -1) return clean.slice(nm + 'node_modules/'.length);
  const src = clean.indexOf('/src/');
  if (src !== -1) return clean.slice(src + 1);
  const dist = clean.indexOf('/dist/');
  if (dist !== -1) return clean.slice(dist + 1);
  return clean.replace(/^.*\//, '') || '(native)';
}

/** Package of a frame: `graphql`, `@pothos/core`, `node:` internals, `ours` for src/, or a V8 pseudo-frame. */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native/V8)';
  if (url.startsWith('node:')) return 'node: internals';
  const clean = url.replace(/^file:\/\//, '');
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(clean.slice(clean.lastIndexOf('node_modules/')));
  if (m) return m[1] as string;
  if (clean.includes('/src/') || clean.includes('/dist/')) return 'ours (src/)'; // dist/server.mjs is src/ bundled
  return 'other';
}

/**
 * Self time per function and package. `lastMs` keeps only the samples of the profile's last `lastMs` milliseconds (the
 * load phase), so start-up (module loading, schema building) does not mix into the steady state.
 */
export function summarizeProfile(file: string, top = 15, lastMs = Infinity): { functions: ProfileRow[]; packages: ProfileRow[]; totalMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    const from = profile.endTime - lastMs * 1000;
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      if (at < from) continue;
      const id = profile.samples[i] as number;
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0));
    }
  }
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') continue;
    const name = `${functionName || '(anonymous)'} ${url ? `${where(url)}:${lineNumber + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + us);
    const p = packageOf(url, functionName);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const busy = [...fn.values()].reduce((a, b) => a + b, 0);
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / busy }));
  return { functions: rows(fn), packages: rows(pkg), totalMs: total / 1000 };
}
