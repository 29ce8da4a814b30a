// The README's configuration table stays true: it lists every variable src/config.ts reads, and nothing config does not read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Env, loadConfig } from '../../src/config.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const CONFIG_SOURCE = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8');

/** The `## Configuration` section, up to the next `## ` heading. */
function configurationSection(markdown: string): string {
  const start = markdown.search(/^## Configuration\s*$/m);
  if (start < 0) throw new Error('README.md has no "## Configuration" section');
  const rest = markdown.slice(start + 1);
  const next = rest.search(/^## /m);
  return next < 0 ? rest : rest.slice(0, next);
}

/** Every markdown table of a text, as rows of trimmed cells (header first, the `|---|` line dropped). */
function tables(markdown: string): string[][][] {
  const found: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    // Split on pipes that are not escaped and not inside backticks.
    const cells: string[] = [];
    let cell = '';
    let inCode = false;
    for (let i = 1; i < line.length; i++) {
      const ch = line[i] as string;
      if (ch === '`') inCode = !inCode;
      if (ch === '|' && !inCode && line[i - 1] !== '\\') {
        cells.push(cell.trim());
        cell = '';
      } else cell += ch;
    }
    if (/^[\s|:-]+$/.test(line)) continue;
    if (current === null) {
      current = [];
      found.push(current);
    }
    current.push(cells);
  }
  return found;
}

/** The variables of the one settings table: the first cell of each row, one backticked name. */
function tableVariables(): string[] {
  const settings = tables(configurationSection(README)).filter((table) => table[0]?.[0] === 'Variable');
  expect(settings, 'the Configuration section holds exactly one table headed "Variable"').toHaveLength(1);
  const [header, ...rows] = settings[0] as string[][];
  expect(header).toEqual(['Variable', 'Default', 'Meaning']);
  return rows.map((row) => {
    const match = /^`([A-Z][A-Z0-9_]*)`$/.exec(row[0] ?? '');
    if (!match) throw new Error(`a configuration row does not start with one backticked variable name: ${JSON.stringify(row[0])}`);
    return match[1] as string;
  });
}

/**
 * The names config.ts reads, from its source: `read.int('NAME', …)`, `read.raw('NAME')`, … and the helpers that take
 * the reader or wrap it (`rate(read, 'NAME', …)`, `rate('NAME', …)`).
 */
function sourceVariables(): Set<string> {
  const names = new Set<string>();
  for (const match of CONFIG_SOURCE.matchAll(/\b(?:read\.\w+|rate)\(\s*(?:read,\s*)?'([A-Z][A-Z0-9_]*)'/g)) names.add(match[1] as string);
  return names;
}

/** The names loadConfig actually looks up in an environment (every property read of the env object). */
function readVariables(base: Env): Set<string> {
  const seen = new Set<string>();
  const env = new Proxy(base, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return target[name as string];
    },
    has(target, name) {
      if (typeof name === 'string') seen.add(name);
      return name in target;
    },
  });
  loadConfig(env);
  return seen;
}

describe("the README's configuration table", () => {
  const documented = tableVariables();
  const inSource = sourceVariables();
  // Demo mode (nothing set) and production against real Bird: between them every branch of loadConfig runs.
  const read = new Set([...readVariables({}), ...readVariables({ NODE_ENV: 'production', BIRD_ACCESS_KEY: 'k'.repeat(32) })]);

  it('finds the variables of config.ts in its source, the same set loadConfig reads', () => {
    expect(inSource.size).toBeGreaterThan(40);
    expect([...inSource].sort()).toEqual([...read].sort());
  });

  it('lists every variable config.ts reads', () => {
    const missing = [...inSource].filter((name) => !documented.includes(name)).sort();
    expect(missing, 'variables read by src/config.ts but missing from the README table').toEqual([]);
  });

  it('lists nothing config.ts does not read, and each variable once', () => {
    const unknown = documented.filter((name) => !inSource.has(name));
    expect(unknown, 'README rows for variables src/config.ts does not read').toEqual([]);
    const repeated = documented.filter((name, index) => documented.indexOf(name) !== index);
    expect(repeated, 'variables listed twice').toEqual([]);
  });

  it('is the only settings table of the README', () => {
    const elsewhere = tables(README.replace(configurationSection(README), '')).filter((table) => table[0]?.[0] === 'Variable');
    expect(elsewhere, 'a second table of variables outside "## Configuration"').toEqual([]);
  });
});
