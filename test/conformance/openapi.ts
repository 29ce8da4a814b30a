// Compiles the committed structure copies of Bird's OpenAPI documents (src/emulator/openapi/*.structure.json) into ajv validators.
//
// Only the committed copies are read (never ../shared), so this works in any clone. Two adaptations are made
// in memory, without touching the copies:
//  - OpenAPI 3.0 `nullable: true` becomes `anyOf: [{type: 'null'}, <schema without nullable>]` (ajv's own
//    `nullable` support only widens `type` at the same level, so a nullable `allOf`/`$ref` would still reject null);
//  - `discriminator` is removed: ajv's discriminator keyword refuses `mapping`, and the `oneOf` it annotates
//    already decides validity on its own (each variant pins `type` with an enum).
// `strict: false` because Bird's documents carry keywords that do nothing where they stand (e.g. `minLength` on
// arrays, `minLength` beside `$ref`); they are kept as Bird wrote them and ignored, exactly as a JSON Schema
// validator must. `unicodeRegExp: false` because Bird's pattern `{{[^{}]+}}` is not a valid `u`-flag regex.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ajv-formats is CommonJS; depending on the loader its default import is the plugin or the module record.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

const STRUCTURE_DIR = new URL('../../src/emulator/openapi/', import.meta.url);

export const SEND_MESSAGE_DOC = 'channels-send-message';
export const CONTACT_INFO_DOC = 'channels-get-channel-contact-information';

export function loadStructure(name: string): JsonObject {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`${name}.structure.json`, STRUCTURE_DIR)), 'utf8')) as JsonObject;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rewrites one schema (recursively) for ajv: nullable → anyOf null, discriminator dropped. */
export function adaptSchema(s: Json): Json {
  if (!isObject(s)) return s;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'discriminator' || k === 'nullable') continue;
    if (k === 'properties' && isObject(v))
      out[k] = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, adaptSchema(p)]));
    else if ((k === 'items' || k === 'not' || k === 'additionalProperties') && isObject(v)) out[k] = adaptSchema(v);
    else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map(adaptSchema);
    else out[k] = v;
  }
  return s.nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/** Applies adaptSchema at every schema position of an OpenAPI document (component schemas and media types). */
function adaptDocument(doc: JsonObject): JsonObject {
  const walk = (v: Json, parentKey: string): Json => {
    if (Array.isArray(v)) return v.map((x) => walk(x, parentKey));
    if (!isObject(v)) return v;
    if (parentKey === 'schema') return adaptSchema(v);
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (parentKey === 'components' && k === 'schemas' && isObject(x))
        out[k] = Object.fromEntries(Object.entries(x).map(([n, s]) => [n, adaptSchema(s)]));
      else out[k] = walk(x, k);
    }
    return out;
  };
  return walk(doc, '') as JsonObject;
}

/** BCP-47 language tag (Bird's custom `locale-bcp47` format): language, then optional subtags. */
const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8}|-\d[A-Za-z0-9]{3})*$/;

export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addFormat('locale-bcp47', BCP47);
  for (const name of [SEND_MESSAGE_DOC, CONTACT_INFO_DOC]) {
    const doc = adaptDocument(loadStructure(name));
    delete doc['x-source-sha256'];
    delete doc['x-source-file'];
    ajv.addSchema(doc as object, name);
  }
  return ajv;
}

export const ajv = createAjv();

/** JSON-pointer escaping for one path segment. */
const esc = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function componentValidator(doc: string, schemaName: string): ValidateFunction {
  const v = ajv.getSchema(`${doc}#/components/schemas/${esc(schemaName)}`);
  if (!v) throw new Error(`schema ${schemaName} not found in ${doc}`);
  return v;
}

/** The validator for an operation's response body (following a `$ref` to components/responses). */
export function responseValidator(doc: string, path: string, method: string, status: string): ValidateFunction {
  const raw = loadStructure(doc);
  const paths = raw.paths as Record<string, Record<string, { responses: Record<string, JsonObject> }>>;
  let response = paths[path]?.[method]?.responses[status];
  let pointer = `#/paths/${esc(path)}/${method}/responses/${status}`;
  if (response && typeof response.$ref === 'string') {
    pointer = response.$ref;
    const name = pointer.split('/').pop() ?? '';
    response = (raw.components as Record<string, Record<string, JsonObject>>).responses?.[name];
  }
  if (!response || !isObject(response.content ?? null)) throw new Error(`no ${status} response for ${method} ${path}`);
  const v = ajv.getSchema(`${doc}${pointer}/content/application~1json/schema`);
  if (!v) throw new Error(`no schema for ${status} ${method} ${path}`);
  return v;
}

export const SEND_PATH = '/workspaces/{workspaceId}/channels/{channelId}/messages';
export const CONTACT_INFO_PATH = '/workspaces/{workspaceId}/channels/{channelId}/contacts/{contactId}';

export const validateCreateMessage = componentValidator(SEND_MESSAGE_DOC, 'CreateMessage');
export const validateMessage = componentValidator(SEND_MESSAGE_DOC, 'Message');
export const validateRequestError = componentValidator(SEND_MESSAGE_DOC, 'RequestError');
export const validateValidationError = componentValidator(SEND_MESSAGE_DOC, 'ValidationError');
export const validateChannelContactInformation = componentValidator(CONTACT_INFO_DOC, 'ChannelContactInformation');
export const validateContactInfoRequestError = componentValidator(CONTACT_INFO_DOC, 'RequestError');

/** The send operation's declared responses, by status (202, 400, 404, 409, 422). */
export const sendResponses: Record<string, ValidateFunction> = Object.fromEntries(
  ['202', '400', '404', '409', '422'].map((s) => [s, responseValidator(SEND_MESSAGE_DOC, SEND_PATH, 'post', s)]),
);

/** Validates and returns a readable error list ('' when valid), for expect(...).toBe('') style assertions. */
export function schemaErrors(validate: ValidateFunction, value: unknown): string {
  if (validate(value)) return '';
  return formatErrors(validate.errors ?? []);
}

export function formatErrors(errors: ErrorObject[]): string {
  return errors
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('; ');
}
