// Writes the subgraph SDL of buildSchema() (sorted) to schema.graphql; with --check, fails when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema } from 'graphql';
import { buildSchema } from '../src/schema/index.ts';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));

/** The public contract: what a schema registry publishes (applied @key/@shareable/@link, sorted). */
export function printSchemaSdl(): string {
  return `${printSubgraphSchema(lexicographicSortSchema(buildSchema())).trimEnd()}\n`;
}

function firstDifference(a: string[], b: string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function main(argv: string[]): number {
  const sdl = printSchemaSdl();
  if (!argv.includes('--check')) {
    writeFileSync(target, sdl);
    console.log(`Wrote ${target}`);
    return 0;
  }
  let committed: string;
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    console.error(`schema.graphql is missing. Run \`npm run schema:print\` and commit it.`);
    return 1;
  }
  if (committed === sdl) {
    console.log('schema.graphql is up to date.');
    return 0;
  }
  const want = sdl.split('\n');
  const have = committed.split('\n');
  const at = firstDifference(have, want);
  console.error(
    [
      'schema.graphql differs from the schema the code builds.',
      `First difference at line ${at + 1}:`,
      `  committed: ${JSON.stringify(have[at] ?? '<end of file>')}`,
      `  built:     ${JSON.stringify(want[at] ?? '<end of file>')}`,
      'Run `npm run schema:print` (then `npm run codegen`), review the change like an API change, and commit both.',
      'To see the whole diff: npm run schema:print && git diff schema.graphql',
    ].join('\n'),
  );
  return 1;
}

process.exitCode = main(process.argv.slice(2));
