// Bird's wire JSON for a content input: a body written through the body field table, or a template.
//
// Bird's objects are `additionalProperties: false` and many of their fields are not nullable, so every unset
// (undefined or null) field is left out, and a wrapper such as `metadata` is written only when one of its fields is
// set. `URL` scalar values (WHATWG URL objects) become their `href`.
import type { MessageBody, MessageTemplate, TemplateParameter } from '../bird/types.ts';
import {
  type ChoiceName,
  type FieldSpec,
  type Maybe,
  type ObjectName,
  CHOICES,
  fieldsOf,
  isSet,
  kindsOf,
} from './body-fields.ts';
import type { MessageContentInputShape, TemplateInputShape } from './content-input.ts';

type Defined<T> = { [K in keyof T]?: NonNullable<T[K]> };

/** The entries that are set. */
function compact<T extends object>(object: T): Defined<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => isSet(value))) as Defined<T>;
}

/** A URL scalar value (a WHATWG URL once parsed by the scalar; a string from direct callers) as Bird's string. */
function href(url: Maybe<URL | string>): string | undefined {
  if (!isSet(url)) return undefined;
  return url instanceof URL ? url.href : String(url);
}

function mapList<T, R>(items: Maybe<readonly T[]>, convert: (item: T) => R): R[] | undefined {
  return isSet(items) ? items.map(convert) : undefined;
}

/** Sets `value` at `path` inside `target`, creating the wrapper objects on the way. */
function writePath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  path.slice(0, -1).forEach((key) => {
    at[key] ??= {};
    at = at[key] as Record<string, unknown>;
  });
  at[path[path.length - 1] as string] = value;
}

function toWireValue(spec: FieldSpec, value: unknown): unknown {
  const { value: kind } = spec;
  if (kind === undefined) return value;
  if (kind === 'url') return href(value as URL | string);
  if (kind === 'pairs') {
    return Object.fromEntries((value as { name: string; value: string }[]).map((pair) => [pair.name, pair.value]));
  }
  return 'object' in kind ? toWireObject(kind.object, value as object) : toWireChoice(kind.choice, value as object);
}

/** The Bird object for an input object, one table field at a time. */
function toWireObject(object: ObjectName, input: object): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const [name, spec] of fieldsOf(object)) {
    if (spec.readOnly) continue;
    const value = (input as Record<string, unknown>)[name] ?? spec.default;
    if (!isSet(value)) continue;
    const wireValue = spec.list ? (value as unknown[]).map((item) => toWireValue(spec, item)) : toWireValue(spec, value);
    writePath(wire, spec.path, wireValue);
  }
  return wire;
}

/** `{ type, [type]: object }` for the one kind a @oneOf input sets (GraphQL guarantees one; direct callers may not). */
function toWireChoice(choice: ChoiceName, input: object): Record<string, unknown> {
  for (const [name, kind] of kindsOf(choice)) {
    const value = (input as Record<string, unknown>)[name];
    if (!isSet(value)) continue;
    const object = { ...kind.constants, ...toWireObject(kind.object, value as object) };
    return kind.optional && Object.keys(object).length === 0 ? { type: kind.wire } : { type: kind.wire, [kind.wire]: object };
  }
  throw new TypeError(`${CHOICES[choice].input} needs exactly one kind set; run validateContent() first.`);
}

function toWireTemplate(input: TemplateInputShape): MessageTemplate {
  return compact({
    name: input.name,
    projectId: input.projectId,
    version: input.version,
    locale: input.locale,
    attachments: mapList(input.attachments, (attachment) =>
      compact({ mediaUrl: href(attachment.mediaUrl), filename: attachment.filename, inline: attachment.inline }),
    ),
    shortLinks: input.shortLinks ? compact({ enabled: input.shortLinks.enabled, domain: input.shortLinks.domain }) : undefined,
    variables: isSet(input.variables)
      ? Object.fromEntries(input.variables.map((variable) => [variable.key, variable.value]))
      : undefined,
    utmParameters: mapList(input.utmParameters, (utm) =>
      isSet(utm.reference) ? { key: utm.key, reference: utm.reference } : { key: utm.key, value: utm.value ?? '' },
    ),
    parameters: mapList(
      input.parameters,
      (parameter) =>
        compact({ type: parameter.type ?? 'string', key: parameter.key, value: parameter.value }) as TemplateParameter,
    ),
    settings: input.settings,
  }) as MessageTemplate;
}

/**
 * The `body` or `template` of Bird's CreateMessage request for a content input, exactly as Bird expects it: unset
 * fields left out, flat fields back under Bird's wrappers (`metadata`, …), URLs as strings. Spread it into the
 * request. Run validateContent() first; a content with no kind set throws a TypeError.
 *
 * A permission request is sent as Bird's discriminator describes it, with the variant's object inside (bird-api.md
 * §3.4; the emulator accepts it): `{ type: 'action', action: { type: 'permission_request', permission_request: … } }`.
 */
export function toWireContent(input: MessageContentInputShape): { body?: MessageBody; template?: MessageTemplate } {
  if (input.body) return { body: toWireChoice('body', input.body) as unknown as MessageBody };
  if (input.template) return { template: toWireTemplate(input.template) };
  throw new TypeError('MessageContentInput needs exactly one of body and template; run validateContent() first.');
}
