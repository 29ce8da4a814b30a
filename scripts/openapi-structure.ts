// Writes a prose-free structural copy of a Bird OpenAPI document to src/emulator/openapi/<name>.structure.json (run by hand; --check compares).
//
// Usage (from the repo root):
//   npx tsx scripts/openapi-structure.ts                 # both known documents from ../shared/bird-openapi
//   npx tsx scripts/openapi-structure.ts path/to/doc.json [more.json ...]
//   npx tsx scripts/openapi-structure.ts --check [paths] # regenerate in memory, fail if a committed copy differs
//
// The copy keeps only what a validator needs: types, required, enums, patterns, formats, limits, $refs,
// allOf/anyOf/oneOf/not, additionalProperties, nullable, readOnly/writeOnly, discriminators, plus operation
// skeletons (operationId, parameters, requestBody, responses with their media types). Everything else
// (description, title, summary, example(s), externalDocs, default values, x-*, info other than version,
// tag and server descriptions) is dropped: the walk is an allowlist per OpenAPI object kind, so unknown keys never
// leak through; dropped keys that are not known prose are reported on stderr so a new structural keyword is noticed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repoRoot, 'src/emulator/openapi');
const sharedDir = resolve(repoRoot, '../shared/bird-openapi');
const DEFAULT_SOURCES = ['channels-send-message.json', 'channels-get-channel-contact-information.json'].map((f) =>
  join(sharedDir, f),
);

/** Keys we drop on purpose (prose or presentation). Anything else dropped is reported. */
const PROSE = new Set(['description', 'title', 'summary', 'example', 'examples', 'externalDocs', 'default']);

const dropped = new Map<string, number>();
function drop(key: string, where: string): void {
  if (PROSE.has(key) || key.startsWith('x-')) return;
  const k = `${where}.${key}`;
  dropped.set(k, (dropped.get(k) ?? 0) + 1);
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Schema keywords copied as plain values (no prose inside them). */
const SCHEMA_SCALARS = new Set([
  '$ref', 'type', 'format', 'enum', 'const', 'pattern', 'required', 'nullable', 'readOnly', 'writeOnly', 'deprecated',
  'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
]);

function schema(s: Json | undefined, where: string): Json {
  if (typeof s === 'boolean') return s;
  if (!isObject(s)) throw new Error(`${where}: expected a schema object`);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(s)) {
    if (SCHEMA_SCALARS.has(k)) out[k] = v;
    else if (k === 'properties') out[k] = mapOf(v, (p, name) => schema(p, `${where}.properties.${name}`));
    else if (k === 'items' || k === 'not') out[k] = schema(v, `${where}.${k}`);
    else if (k === 'additionalProperties') out[k] = typeof v === 'boolean' ? v : schema(v, `${where}.${k}`);
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      if (!Array.isArray(v)) throw new Error(`${where}.${k}: expected an array`);
      out[k] = v.map((x, i) => schema(x, `${where}.${k}[${i}]`));
    } else if (k === 'discriminator' && isObject(v)) {
      const d: JsonObject = { propertyName: v.propertyName ?? null };
      if (isObject(v.mapping)) d.mapping = v.mapping;
      out[k] = d;
    } else drop(k, 'schema');
  }
  return out;
}

function mapOf(v: Json | undefined, f: (value: Json, key: string) => Json): JsonObject {
  if (!isObject(v)) throw new Error('expected an object map');
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = f(x, k);
  return out;
}

function pick(v: JsonObject, keys: string[], where: string): JsonObject {
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (keys.includes(k)) out[k] = x;
    else if (!['schema', 'content', 'headers', 'parameters', 'requestBody', 'responses'].includes(k)) drop(k, where);
  }
  return out;
}

function content(v: Json | undefined, where: string): JsonObject {
  return mapOf(v, (media, type) => {
    if (!isObject(media)) throw new Error(`${where}: bad media type object`);
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(media)) {
      if (k === 'schema') out.schema = schema(x, `${where}.${type}.schema`);
      else drop(k, 'mediaType');
    }
    return out;
  });
}

function parameter(p: Json, where: string): Json {
  if (!isObject(p)) throw new Error(`${where}: bad parameter`);
  const out = pick(p, ['$ref', 'name', 'in', 'required', 'allowEmptyValue', 'style', 'explode', 'allowReserved'], 'parameter');
  if (p.schema !== undefined) out.schema = schema(p.schema, `${where}.schema`);
  if (p.content !== undefined) out.content = content(p.content, `${where}.content`);
  return out;
}

function header(h: Json, where: string): Json {
  if (!isObject(h)) throw new Error(`${where}: bad header`);
  const out = pick(h, ['$ref', 'required', 'style', 'explode'], 'header');
  if (h.schema !== undefined) out.schema = schema(h.schema, `${where}.schema`);
  return out;
}

function response(r: Json, where: string): Json {
  if (!isObject(r)) throw new Error(`${where}: bad response`);
  const out = pick(r, ['$ref'], 'response');
  if (r.content !== undefined) out.content = content(r.content, `${where}.content`);
  if (r.headers !== undefined) out.headers = mapOf(r.headers, (h, n) => header(h, `${where}.headers.${n}`));
  return out;
}

function requestBody(b: Json, where: string): Json {
  if (!isObject(b)) throw new Error(`${where}: bad requestBody`);
  const out = pick(b, ['$ref', 'required'], 'requestBody');
  if (b.content !== undefined) out.content = content(b.content, `${where}.content`);
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operation(o: Json, where: string): Json {
  if (!isObject(o)) throw new Error(`${where}: bad operation`);
  const out = pick(o, ['operationId', 'tags', 'security'], 'operation');
  if (o.parameters !== undefined && Array.isArray(o.parameters))
    out.parameters = o.parameters.map((p, i) => parameter(p, `${where}.parameters[${i}]`));
  if (o.requestBody !== undefined) out.requestBody = requestBody(o.requestBody, `${where}.requestBody`);
  if (o.responses !== undefined) out.responses = mapOf(o.responses, (r, code) => response(r, `${where}.responses.${code}`));
  return out;
}

function pathItem(item: Json, where: string): Json {
  if (!isObject(item)) throw new Error(`${where}: bad path item`);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(item)) {
    if (METHODS.includes(k)) out[k] = operation(v, `${where}.${k}`);
    else if (k === 'parameters' && Array.isArray(v)) out[k] = v.map((p, i) => parameter(p, `${where}.parameters[${i}]`));
    else if (k === '$ref') out[k] = v;
    else drop(k, 'pathItem');
  }
  return out;
}

function components(c: Json, where: string): Json {
  if (!isObject(c)) throw new Error(`${where}: bad components`);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(c)) {
    if (k === 'schemas') out[k] = mapOf(v, (s, n) => schema(s, `#/components/schemas/${n}`));
    else if (k === 'responses') out[k] = mapOf(v, (r, n) => response(r, `#/components/responses/${n}`));
    else if (k === 'parameters') out[k] = mapOf(v, (p, n) => parameter(p, `#/components/parameters/${n}`));
    else if (k === 'requestBodies') out[k] = mapOf(v, (b, n) => requestBody(b, `#/components/requestBodies/${n}`));
    else if (k === 'headers') out[k] = mapOf(v, (h, n) => header(h, `#/components/headers/${n}`));
    else if (k === 'securitySchemes')
      out[k] = mapOf(v, (s) => (isObject(s) ? pick(s, ['type', 'scheme', 'in', 'name', 'bearerFormat'], 'securityScheme') : s));
    else drop(k, 'components');
  }
  return out;
}

/** Recursively sorts object keys (arrays keep their order: enum/required/oneOf order is meaningful or harmless). */
function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k] as Json);
  return out;
}

export function structureOf(sourceText: string, sourceName: string): JsonObject {
  const doc = JSON.parse(sourceText) as Json;
  if (!isObject(doc)) throw new Error('not an OpenAPI document');
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'openapi') out[k] = v;
    else if (k === 'info' && isObject(v)) out[k] = { version: v.version ?? null };
    else if (k === 'servers' && Array.isArray(v)) out[k] = v.map((s) => (isObject(s) ? { url: s.url ?? null } : s));
    else if (k === 'security') out[k] = v;
    else if (k === 'tags' && Array.isArray(v)) out[k] = v.map((t) => (isObject(t) ? { name: t.name ?? null } : t));
    else if (k === 'paths') out[k] = mapOf(v, (item, p) => pathItem(item, p));
    else if (k === 'components') out[k] = components(v, '#/components');
    else drop(k, 'document');
  }
  out['x-source-sha256'] = createHash('sha256').update(sourceText).digest('hex');
  out['x-source-file'] = sourceName;
  return sortKeys(out) as JsonObject;
}

export function outputPathFor(source: string): string {
  return join(outDir, `${basename(source).replace(/\.json$/, '')}.structure.json`);
}

function render(source: string): string {
  return `${JSON.stringify(structureOf(readFileSync(source, 'utf8'), basename(source)), null, 2)}\n`;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const given = argv.filter((a) => a !== '--check').map((a) => resolve(a));
  const sources = given.length > 0 ? given : DEFAULT_SOURCES;
  const missing = sources.filter((s) => !existsSync(s));
  if (missing.length > 0) {
    const msg = `openapi-structure: source document(s) not found: ${missing.join(', ')}`;
    if (check && given.length === 0) {
      console.log(`${msg}\nopenapi-structure --check: SKIPPED (../shared is not part of a clone; nothing to compare).`);
      return 0;
    }
    console.error(msg);
    return 1;
  }
  let failed = 0;
  for (const source of sources) {
    const out = outputPathFor(source);
    const text = render(source);
    if (check) {
      const committed = existsSync(out) ? readFileSync(out, 'utf8') : null;
      if (committed === text) console.log(`ok      ${out}`);
      else {
        failed++;
        console.error(`DRIFT   ${out} ${committed === null ? '(missing)' : 'differs from a fresh copy of ' + source}`);
      }
    } else {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(out, text);
      console.log(`wrote   ${out}`);
    }
  }
  for (const [k, n] of [...dropped].sort()) console.error(`note: dropped non-prose key ${k} (${n}x)`);
  if (failed > 0) console.error('Run `npx tsx scripts/openapi-structure.ts` to regenerate, then review the diff.');
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
