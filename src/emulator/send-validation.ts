// Validates request bodies with ajv: sends against the committed copy of Bird's OpenAPI schema plus the project's named departures, errors mapped to Bird's 422 details.
//
// The send schema is `CreateMessage` of src/emulator/openapi/channels-send-message.structure.json, the same file the
// conformance tests compile. It is read as Bird wrote it, with mechanical adaptations that change no verdict:
//  - OpenAPI `nullable: true` becomes `if: {type: null}, else: <schema>` (ajv's own `nullable` only widens `type`
//    at the same level, so a nullable `allOf` would still reject null);
//  - a `discriminator` loses its `mapping` (ajv refuses it; each variant pins `type` with an enum, which ajv reads
//    instead), and a plain `oneOf` of objects whose every variant pins and requires `type` (TemplateParameter) gets
//    a discriminator and `type: object` too: variants with distinct tags match at most once, so the oneOf and the
//    discriminator agree (ajv checks the tags are distinct);
//  - ajv checks own properties only (`ownProperties`), so names like `constructor` are plain unknown fields, and its
//    full `date-time` format already refuses impossible calendar days and hours.
// With a discriminator ajv reports only the variant the request names, which is what lets errors map to exact paths.
// Everything the emulator decides beyond the document is one entry of DEPARTURES below: a name, why, and the check.
// Besides Node built-ins and `bird/types`, this file imports ajv, ajv-formats and libphonenumber-js (receiver addresses).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import SEND_DOCUMENT from './openapi/channels-send-message.structure.json' with { type: 'json' };
import { parseInstant } from './pages.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Schemas = Record<string, JsonObject>;

/** Bird's 422 `details`: dotted field path (numeric indices, `''` for the body itself) → messages. */
export type Details = Record<string, string[]>;

/** What the departures need to know beyond the request itself. */
export interface SendContext {
  /** The channel's platform (`sms`, `email`, …). */
  platformId: string;
  /** Epoch ms. */
  now: number;
  /** Whether `id` names a contact of the workspace the send is for. */
  contactExists: (id: string) => boolean;
}

/** One place where the emulator departs from Bird's document on purpose. */
interface Departure {
  name: string;
  why: string;
  /** Edits a private copy of Bird's component schemas before they are compiled. */
  patch?: (schemas: Schemas) => void;
  /** Adds details the schema cannot express; runs after the schema on every request that is a JSON object. */
  check?: (request: Record<string, unknown>, context: SendContext, add: (path: string, message: string) => void) => void;
}

const MAX_SCHEDULE_MS = 35 * 24 * 3600 * 1000;

export const DEPARTURES: readonly Departure[] = [
  {
    name: 'receiver-contacts-required',
    why: 'a send needs someone to send to, but Receiver.contacts is optional and its `minLength: 1` is a no-op on an array',
    patch: (s) => {
      const receiver = node(s, 'Receiver');
      receiver.required = ['contacts'];
      node(s, 'Receiver', 'properties', 'contacts').minItems = 1;
    },
  },
  {
    name: 'media-lists-non-empty',
    why: 'Bird writes `minLength: 1` on image.images and file.files, which JSON Schema ignores on arrays; we honour its evident intent',
    patch: (s) => {
      node(s, 'TypeImage', 'properties', 'image', 'properties', 'images').minItems = 1;
      node(s, 'TypeFile', 'properties', 'file', 'properties', 'files').minItems = 1;
    },
  },
  {
    name: 'action-body-shape',
    why: "Bird maps discriminator `action` to TypeAction, whose own `type` enum is `permission_request`, so no action body validates; we accept the discriminator's shape",
    patch: (s) => {
      // {type: 'action', action: {permission_request: {resource: 'call'}}}; inside, `permission_request` is what is required.
      const inner = { ...node(s, 'TypeAction'), required: ['permission_request'] };
      s.TypeAction = {
        type: 'object',
        additionalProperties: false,
        properties: { type: { type: 'string', enum: ['action'] }, action: inner },
        required: ['type', 'action'],
      };
    },
  },
  {
    name: 'structured-template-values-shallow',
    why: "Bird's tolerance for the nested shapes of structured template parameters is unknown (bird-api.md §3.5), so only the value's top-level key is checked",
    patch: (s) => {
      for (const variant of node(s, 'TemplateParameter').oneOf as JsonObject[]) {
        const value = (variant.properties as JsonObject).value as JsonObject;
        if (!Array.isArray(value.required)) continue; // string, number, boolean, object: checked as Bird wrote them
        for (const key of Object.keys(value.properties as JsonObject)) (value.properties as JsonObject)[key] = {};
      }
    },
  },
  {
    name: 'exactly-one-of-body-or-template',
    why: "the schema's `anyOf: [required template, required body]` accepts both and counts a null as present; a send carries exactly one",
    patch: (s) => {
      const allOf = node(s, 'CreateMessage').allOf as JsonObject[];
      if (allOf.length !== 2 || !Array.isArray(allOf[1]?.anyOf)) throw new Error('send schema: CreateMessage no longer ends in the body/template anyOf');
      allOf.pop();
    },
    check: (request, _context, add) => {
      const hasBody = request.body !== undefined && request.body !== null;
      const hasTemplate = request.template !== undefined && request.template !== null;
      if (hasBody && hasTemplate) add('template', 'must not be given together with body');
      if (!hasBody && !hasTemplate) add('body', 'body or template is required');
    },
  },
  {
    name: 'receiver-newer-forms',
    why: 'the batch page documents `receiverValue` and `receiverExpression` on each receiver contact (bird-api.md §3.2, DOC:S7), which the send document\'s closed contact object lacks',
    patch: (s) => {
      const contact = node(s, 'Receiver', 'properties', 'contacts', 'items', 'properties');
      contact.receiverValue = { type: 'string' };
      contact.receiverExpression = { type: 'string' };
    },
  },
  {
    name: 'one-receiver-unless-email',
    why: 'more than one receiver only makes sense on email (to/cc/bcc) — bird-api.md §2a(ii); the schema allows any number',
    check: (request, context, add) => {
      const contacts = receiverContacts(request);
      if (contacts && contacts.length > 1 && addressKind(context.platformId) !== 'email') {
        add('receiver.contacts', `only email channels accept more than one receiver contact (${context.platformId} channel)`);
      }
    },
  },
  {
    name: 'receiver-names-someone',
    why: 'every receiver property is optional in the schema, so `{}` or a bare expression would name nobody; an expression (`platformAddressSelector`, `receiverExpression`) is resolved against a contact named otherwise [INF]',
    check: (request, _context, add) => {
      receiverContacts(request)?.forEach((c, i) => {
        if (!isJsonObject(c)) return;
        const identifiers = c.identifiers;
        const named =
          c.id !== undefined ||
          c.identifierValue !== undefined ||
          c.receiverValue !== undefined ||
          c.platformAddress !== undefined ||
          (Array.isArray(identifiers) && identifiers.length > 0);
        if (!named) add(`receiver.contacts.${i}`, 'must have id, identifierValue, identifiers, receiverValue or platformAddress');
      });
    },
  },
  {
    name: 'receiver-address-fits-platform',
    why: 'Bird addresses SMS, WhatsApp, RCS and Viber receivers by `phonenumber` in E.164 and email receivers by `emailaddress` (bird-api.md §3.2, DOC:S25), where the schema has bare strings; checked with libphonenumber-js and ajv-formats, as the graph checks them',
    check: (request, context, add) => {
      const channelKind = addressKind(context.platformId);
      receiverContacts(request)?.forEach((c, i) => {
        if (!isJsonObject(c)) return;
        const at = `receiver.contacts.${i}`;
        const key = typeof c.identifierKey === 'string' ? c.identifierKey : null;
        const keyKind = key === null ? channelKind : keyAddressKind(key);
        if (key !== null && channelKind !== null && keyKind !== null && keyKind !== channelKind) {
          add(`${at}.identifierKey`, `must be ${ADDRESS_KEYS[channelKind]} on a ${context.platformId} channel`);
          return;
        }
        const check = (path: string, value: unknown, kind: AddressKind | null) => {
          const problem = kind !== null && typeof value === 'string' ? ADDRESS_PROBLEMS[kind](value) : null;
          if (problem) add(path, problem);
        };
        check(`${at}.identifierValue`, c.identifierValue, keyKind);
        // Decision: the newer direct forms are addresses on the channel's platform, so they follow its rule [INF].
        check(`${at}.receiverValue`, c.receiverValue, channelKind);
        check(`${at}.platformAddress`, c.platformAddress, channelKind);
        if (Array.isArray(c.identifiers)) {
          c.identifiers.forEach((pair, j) => {
            if (isJsonObject(pair) && typeof pair.identifierKey === 'string') {
              check(`${at}.identifiers.${j}.identifierValue`, pair.identifierValue, keyAddressKind(pair.identifierKey));
            }
          });
        }
      });
    },
  },
  {
    name: 'receiver-id-exists',
    why: 'a receiver `id` must name an existing contact of the workspace, which only the emulator knows',
    check: (request, context, add) => {
      receiverContacts(request)?.forEach((c, i) => {
        if (isJsonObject(c) && typeof c.id === 'string' && !context.contactExists(c.id)) add(`receiver.contacts.${i}.id`, 'contact not found');
      });
    },
  },
  {
    name: 'schedule-within-35-days',
    why: 'Bird rejects a scheduledFor more than 35 days ahead, in prose only (bird-api.md §3.1)',
    check: (request, context, add) => {
      const at = typeof request.scheduledFor === 'string' ? parseInstant(request.scheduledFor) : undefined;
      if (at !== undefined && at - context.now > MAX_SCHEDULE_MS) add('scheduledFor', 'must be at most 35 days ahead');
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Compiling (once, at module load: the first send must not pay for it)
// ---------------------------------------------------------------------------------------------------------------

// ajv-formats is CommonJS; depending on the loader its default import is the plugin or the module record.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/** Bird's custom `locale-bcp47` format: a language, then optional script, region and variant subtags. */
const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8}|-\d[A-Za-z0-9]{3})*$/;

// `strict: false`: Bird's document carries keywords that do nothing where they stand (`minLength` on arrays, beside
// `$ref`), ignored as a JSON Schema validator must. `unicodeRegExp: false`: Bird's `{{[^{}]+}}` is no valid `u` regex.
// `verbose`: the error mapping reads the failing schema and value. `optimize: false` halves compile time (~150 ms, not ~350).
const ajv = new Ajv({
  strict: false,
  allErrors: true,
  unicodeRegExp: false,
  discriminator: true,
  ownProperties: true,
  verbose: true,
  code: { optimize: false },
});
addFormats(ajv);
ajv.addFormat('locale-bcp47', BCP47);

/** A JSON object (not null, not an array). */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema object at `path` under the component `name`; throws when Bird's document no longer has it. */
function node(schemas: Schemas, name: string, ...path: string[]): JsonObject {
  let at: Json | undefined = schemas[name];
  for (const key of path) at = isJsonObject(at) ? (at as JsonObject)[key] : undefined;
  if (!isJsonObject(at)) throw new Error(`send schema: ${[name, ...path].join('/')} not found`);
  return at as JsonObject;
}

function receiverContacts(request: Record<string, unknown>): unknown[] | undefined {
  const contacts = isJsonObject(request.receiver) ? request.receiver.contacts : undefined;
  return Array.isArray(contacts) ? contacts : undefined;
}

type AddressKind = 'phone' | 'email';
const ADDRESS_KEYS: Record<AddressKind, string> = { phone: 'phonenumber', email: 'emailaddress' };
/** Platforms whose receivers are phone numbers (bird-api.md §3.2); a provider suffix (`sms-messagebird`) is the same platform. */
const PHONE_PLATFORMS = ['sms', 'whatsapp', 'rcs', 'viber'];
const onPlatform = (platform: string, name: string) => platform === name || platform.startsWith(`${name}-`);

function addressKind(platform: string): AddressKind | null {
  if (onPlatform(platform, 'email')) return 'email';
  return PHONE_PLATFORMS.some((name) => onPlatform(platform, name)) ? 'phone' : null;
}

function keyAddressKind(key: string): AddressKind | null {
  return key === 'phonenumber' ? 'phone' : key === 'emailaddress' ? 'email' : null;
}

/** E.164 as libphonenumber-js reads it (default metadata: country code, length, leading digits), in exactly that form. */
function phoneProblem(value: string): string | null {
  const message = 'must be a phone number in E.164 format, e.g. +31612345678';
  if (!value.startsWith('+')) return message;
  try {
    const parsed = parsePhoneNumberWithError(value);
    return parsed.isValid() && parsed.number === value ? null : message;
  } catch {
    return message;
  }
}

/** ajv-formats' full `email` format within RFC 5321's lengths (64 before the `@`, 254 in all). */
const isEmailFormat = ajv.compile({ type: 'string', format: 'email', maxLength: 254 });
function emailProblem(value: string): string | null {
  return isEmailFormat(value) && value.lastIndexOf('@') <= 64 ? null : 'must be a valid email address';
}

const ADDRESS_PROBLEMS: Record<AddressKind, (value: string) => string | null> = { phone: phoneProblem, email: emailProblem };

const pinsType = (variant: Json): boolean =>
  isJsonObject(variant) &&
  variant.type === 'object' &&
  Array.isArray(variant.required) &&
  variant.required.includes('type') &&
  isJsonObject(variant.properties) &&
  isJsonObject((variant.properties as JsonObject).type) &&
  Array.isArray(((variant.properties as JsonObject).type as JsonObject).enum);

/** The mechanical adaptations of the header comment, applied to one schema and everything below it. */
function adapt(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(adapt);
  if (!isJsonObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable') continue;
    if (key === 'discriminator') out[key] = { propertyName: (value as JsonObject).propertyName as string };
    else if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as JsonObject).map(([name, p]) => [name, adapt(p)]));
    else out[key] = adapt(value);
  }
  if (Array.isArray(out.oneOf) && !out.discriminator && out.oneOf.every(pinsType)) {
    // ajv's discriminator (and the oneOf it stands for) skip non-objects, which every variant here rejects.
    out.discriminator = { propertyName: 'type' };
    out.type ??= 'object';
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    // An undiscriminated oneOf/anyOf is reported as one error; its variants' errors are found by schemaPath prefix,
    // which holds only while no variant leaves through a $ref (whose errors carry the target's schemaPath).
    if (Array.isArray(out[key]) && !out.discriminator && JSON.stringify(out[key]).includes('"$ref"')) {
      throw new Error(`send schema: an undiscriminated ${key} with a $ref variant cannot be mapped to Bird's details`);
    }
  }
  return schema.nullable === true ? { if: { type: 'null' }, else: out } : out;
}

const COMPONENT = '#/components/schemas/';

/** The names of `root` and of every component it reaches through `$ref`s. */
function reachable(schemas: Schemas, root: string): Set<string> {
  const names = new Set<string>();
  const visit = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isJsonObject(v)) {
      const ref = (v as JsonObject).$ref;
      if (typeof ref === 'string' && ref.startsWith(COMPONENT)) add(ref.slice(COMPONENT.length));
      Object.values(v as JsonObject).forEach(visit);
    }
  };
  const add = (name: string): void => {
    if (names.has(name)) return;
    names.add(name);
    visit(node(schemas, name));
  };
  add(root);
  return names;
}

/** The components CreateMessage uses, with the departures' patches and the adaptations applied. */
function sendSchemas(): Schemas {
  const schemas = structuredClone((SEND_DOCUMENT as unknown as { components: { schemas: Schemas } }).components.schemas);
  for (const departure of DEPARTURES) departure.patch?.(schemas);
  return Object.fromEntries([...reachable(schemas, 'CreateMessage')].map((name) => [name, adapt(node(schemas, name)) as JsonObject]));
}

const SEND_SCHEMAS = sendSchemas();
const validateCreateMessage: ValidateFunction = ajv.compile({ $ref: '#/components/schemas/CreateMessage', components: { schemas: SEND_SCHEMAS } });

// ---------------------------------------------------------------------------------------------------------------
// ajv errors → Bird's details
// ---------------------------------------------------------------------------------------------------------------

/** `/receiver/contacts/0` → `receiver.contacts.0` (JSON-pointer escapes undone). */
function dotted(pointer: string): string {
  return pointer === '' ? '' : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const isWithin = (path: string, ancestor: string) => path === ancestor || path.startsWith(`${ancestor}/`);

/** The tags a failed discriminator accepts: each variant's `type` enum (following `$ref`s into the components). */
function discriminatorTags(e: ErrorObject): string[] {
  const variants = ((e.parentSchema ?? {}) as { oneOf?: JsonObject[] }).oneOf ?? [];
  return variants.flatMap((variant) => {
    const ref = typeof variant.$ref === 'string' ? variant.$ref : undefined;
    const resolved = ref?.startsWith(COMPONENT) ? SEND_SCHEMAS[ref.slice(COMPONENT.length)] : variant;
    const tags = ((resolved?.properties as JsonObject | undefined)?.type as JsonObject | undefined)?.enum;
    return Array.isArray(tags) ? tags.map(String) : [];
  });
}

/** What a failed anyOf asks for: `must contain a or b + c` (key sets), `must be a valid uri or match …` (strings). */
function alternatives(variants: JsonObject[], data: unknown): string {
  if (variants.every((v) => Object.keys(v).length === 1 && Array.isArray(v.required))) {
    return `must contain ${variants.map((v) => (v.required as string[]).join(' + ')).join(' or ')}`;
  }
  if (variants.every((v) => v.type === 'string' && (typeof v.format === 'string' || typeof v.pattern === 'string'))) {
    if (typeof data !== 'string') return data === null ? 'must not be null' : 'must be a string';
    return `must ${variants.map((v) => (typeof v.format === 'string' ? `be a valid ${v.format}` : `match ${v.pattern}`)).join(' or ')}`;
  }
  return 'must match at least one of the allowed shapes';
}

/** Where an error is reported and what it says, in the words Bird's details use. */
function describe(e: ErrorObject): [path: string, message: string] {
  const path = dotted(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return [join(path, String(p.missingProperty)), 'is required'];
    case 'additionalProperties':
      return [join(path, String(p.additionalProperty)), 'is not allowed'];
    case 'type': {
      if (e.data === null) return [path, 'must not be null'];
      const type = String(p.type);
      return [path, `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`];
    }
    case 'minLength':
      return [path, `must be at least ${plural(Number(p.limit), 'character')}`];
    case 'maxLength':
      return [path, `must be at most ${p.limit} characters`];
    case 'pattern':
      return [path, `must match ${p.pattern}`];
    case 'enum':
      return [path, `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`];
    case 'format':
      return [path, `must be a valid ${p.format}`];
    case 'minimum':
      return [path, `must be >= ${p.limit}`];
    case 'maximum':
      return [path, `must be <= ${p.limit}`];
    case 'minItems':
      return [path, `must have at least ${plural(Number(p.limit), 'item')}`];
    case 'maxItems':
      return [path, `must have at most ${p.limit} items`];
    case 'oneOf':
      return [path, 'must match exactly one of the allowed shapes'];
    case 'anyOf':
      return [path, alternatives(e.schema as JsonObject[], e.data)];
    case 'discriminator':
      return [join(path, String(p.tag)), `must be one of: ${discriminatorTags(e).join(', ')}`];
    default:
      return [path, e.message ?? e.keyword];
  }
}

/**
 * Bird's details for ajv's errors. Undiscriminated oneOf/anyOf report once, at their own path, instead of once per
 * variant; the `if` of a nullable adds nothing; a wrong type hides the other complaints at its path; a
 * discriminator's complaint is dropped where another error already names the tag (e.g. Body's own `type` enum).
 */
function toDetails(errors: readonly ErrorObject[]): Details {
  const details = Object.create(null) as Details;
  const add = (path: string, message: string) => {
    const list = (details[path] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  const groups = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const insideGroup = (e: ErrorObject) =>
    groups.some((g) => g !== e && e.schemaPath.startsWith(`${g.schemaPath}/`) && isWithin(e.instancePath, g.instancePath));
  const discriminators: [string, string][] = [];
  const mistyped = new Map<string, string>();
  for (const e of errors) {
    if (e.keyword === 'if' || insideGroup(e)) continue;
    const [path, message] = describe(e);
    if (e.keyword === 'discriminator') discriminators.push([path, message]);
    else if (e.keyword === 'type') mistyped.set(path, message);
    else add(path, message);
  }
  // A value of the wrong type is told only that (not also its enum, length or format).
  for (const [path, message] of mistyped) details[path] = [message];
  for (const [path, message] of discriminators) if (!(path in details)) add(path, message);
  return details;
}

/** Bird's 422 details for a send request (empty when it may be sent). */
export function validateSend(request: unknown, context: SendContext): Details {
  if (!isJsonObject(request)) return Object.assign(Object.create(null) as Details, { '': ['must be an object'] });
  const details = validateCreateMessage(request) ? (Object.create(null) as Details) : toDetails(validateCreateMessage.errors ?? []);
  const add = (path: string, message: string) => (details[path] ??= []).push(message);
  for (const departure of DEPARTURES) departure.check?.(request, context, add);
  return details;
}

/** A validator for one of the emulator's own small JSON bodies (contact search, presigned upload), same details. */
export function bodyValidator(schema: JsonObject): (body: unknown) => Details {
  const validate = ajv.compile(schema);
  return (body) => (validate(body) ? (Object.create(null) as Details) : toDetails(validate.errors ?? []));
}
