// A quiet install on every supported Node: engines admit each locked package, allowScripts covers every install script, CI tests each line.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { BUILD_OPTIONS } from '../../scripts/build.mjs';

interface LockedPackage {
  version?: string;
  resolved?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
  optional?: boolean;
  os?: string[];
}

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, LockedPackage> };
const ciScript = readFileSync(new URL('.ci/run', root), 'utf8');

const locked = Object.entries(lock.packages)
  .filter(([path]) => path !== '')
  .map(([path, entry]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), path, ...entry }));

/** The oldest release of each line the engines range admits: "^22.17.0 || >=24.0.0" → 22.17.0 and 24.0.0. */
const floors = new semver.Range(pkg.engines.node).set.map((comparators) => {
  const floor = semver.minVersion(comparators.map((c) => c.value).join(' '));
  if (floor === null) throw new Error(`engines.node ${pkg.engines.node} has an empty part`);
  return floor.version;
});

describe('Node versions', () => {
  it('engines admit Node 22 LTS from 22.17 and Node 24, and not Node 20 (end of life) or 23', () => {
    expect(floors).toEqual(['22.17.0', '24.0.0']);
    for (const version of ['22.17.0', '22.23.5', '24.0.0', '24.22.3', '26.0.0']) expect(semver.satisfies(version, pkg.engines.node)).toBe(true);
    for (const version of ['20.19.0', '22.16.0', '23.11.0']) expect(semver.satisfies(version, pkg.engines.node)).toBe(false);
  });

  it('every locked package admits the oldest supported Node of each line, so npm prints no EBADENGINE warning', () => {
    const refusing = locked.flatMap((entry) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined) return [];
      return floors.filter((floor) => !semver.satisfies(floor, range)).map((floor) => `${entry.path}@${entry.version} wants node ${range}, not ${floor}`);
    });
    expect(refusing).toEqual([]);
    // Not vacuous: most locked packages declare engines (671 of 911 today); the strictest set the floor, yoga's fetch
    // helpers (>=22.15.0) and @sparticuz/chromium (^22.17.0 || >=24.0.0).
    expect(locked.filter((entry) => !Array.isArray(entry.engines) && entry.engines?.node !== undefined).length).toBeGreaterThan(100);
  });

  it('.ci/run tests each supported line, and the production bundle targets the oldest', () => {
    const majors = /for major in ([\d ]+); do/.exec(ciScript)?.[1]?.trim().split(/\s+/);
    expect(majors).toEqual(floors.map((floor) => floor.split('.')[0]));
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    expect(BUILD_OPTIONS.target).toBe(`node${floors[0]?.split('.')[0]}`);
  });
});

describe('install scripts (npm 11 allowScripts)', () => {
  const withScripts = locked.filter((entry) => entry.hasInstallScript === true);
  const policy = pkg.allowScripts ?? {};

  it('covers every locked package that has an install script, so npm prints no "not yet covered" warning', () => {
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((entry) => policy[entry.name] === undefined).map((entry) => `${entry.name}@${entry.version}`)).toEqual([]);
  });

  it('allows esbuild (its postinstall installs the native binary) and denies the protobufjs version checks', () => {
    expect(policy).toEqual({ esbuild: true, protobufjs: false, '@apollo/protobufjs': false });
  });

  it('pins a version only where the lock file records the resolved URL npm verifies a pin against', () => {
    // This lock file has no resolved URLs (omit-lockfile-registry-resolved), so its entries name packages only.
    for (const key of Object.keys(policy)) {
      const at = key.indexOf('@', 1);
      if (at === -1) continue;
      const name = key.slice(0, at);
      expect(withScripts.filter((entry) => entry.name === name && entry.resolved === undefined).map((entry) => entry.path)).toEqual([]);
    }
  });

  it('has no stale entries', () => {
    const names = new Set(withScripts.map((entry) => entry.name));
    expect(Object.keys(policy).filter((name) => !names.has(name))).toEqual([]);
  });
});
