// Writes the persisted-operations safelist: sha256(document) → document for every operation in a folder of .graphql files.
//
// Usage: tsx scripts/persisted-operations.ts [dir=test/gql] [out=persisted-operations.json]
// Each operation is stored with exactly the fragments it uses, printed by graphql-js, so a client that sends
// `print(document)`'s hash (Apollo's `extensions.persistedQuery.sha256Hash`) finds it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DefinitionNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse, print, visit } from 'graphql';

export function persistedOperations(sources: string[]): Record<string, string> {
  const definitions: DefinitionNode[] = sources.flatMap((source) => parse(source).definitions);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const result: Record<string, string> = {};
  for (const operation of definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: DefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !used.has(fragment.name.value)) {
            used.set(fragment.name.value, fragment);
            collect(fragment);
          }
        },
      });
    collect(operation);
    const document = print({ kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] });
    result[createHash('sha256').update(document).digest('hex')] = document;
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'test/gql';
  const out = process.argv[3] ?? 'persisted-operations.json';
  const files = readdirSync(dir).filter((name) => name.endsWith('.graphql')).sort();
  const operations = persistedOperations(files.map((name) => readFileSync(join(dir, name), 'utf8')));
  writeFileSync(out, `${JSON.stringify(operations, null, 2)}\n`);
  console.log(`${Object.keys(operations).length} operations from ${files.length} files in ${dir} → ${out}`);
}
