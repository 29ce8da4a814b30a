// The one table of Bird body fields: for every content object, the Bird wire path behind each GraphQL field name.
//
// Three places use it, so that one edit here changes all of them:
// - content.ts reads every output field through it (readField);
// - content-wire.ts writes every body input through it (toWireContent);
// - send.ts maps the paths of Bird's 422 `details` back to input paths with it (bodyInputPath).
// A GraphQL field has the same name on the output type (the table key, e.g. `TextContent`) and on its input mirror
// in content-input.ts (`TextBodyInput`). Bird's one-level wrappers are flattened into field names here, and only
// here: `subject` is `metadata.subject`, `label` of a location is `location.label`, a section's `contents` are its
// `items`. Pure data and pure functions: no graphql, no Pothos.
import type {
  Action,
  Attachment,
  AuthenticationBody,
  CarouselBody,
  FileBody,
  GifBody,
  HtmlBody,
  ImageBody,
  Item,
  ListBody,
  LocationBody,
  PermissionRequestBody,
  SectionBody,
  TextBody,
} from '../bird/types.ts';

export type Maybe<T> = T | null | undefined;

/** Set means neither undefined nor null: GraphQL inputs say "unset" both ways, and Bird's JSON has neither. */
export const isSet = <T>(value: Maybe<T>): value is T => value !== undefined && value !== null;

type ActionVariant<K extends Action['type']> = Extract<Action, { type: K }>;
type ActionObject<K extends Action['type']> = NonNullable<ActionVariant<K>[K & keyof ActionVariant<K>]>;

/** A LINE emoji as Bird holds it (Bird types `metadata.line` loosely); `length` is set on messages read back. */
export interface LineEmojiItem {
  index: number;
  productId: string;
  emojiId: string;
  length?: number | null;
}

/** The Bird object behind each table, by the name of the GraphQL output type that reads it. */
export interface WireObjects {
  TextContent: TextBody;
  HtmlContent: HtmlBody;
  ImageContent: ImageBody;
  FileContent: FileBody;
  GifContent: GifBody;
  LocationContent: LocationBody;
  CarouselContent: CarouselBody;
  ListContent: ListBody;
  SectionContent: SectionBody;
  AuthenticationContent: AuthenticationBody;
  PermissionRequestContent: PermissionRequestBody;
  MessageAttachment: Attachment;
  MessageImage: ImageBody['images'][number];
  MessageFile: FileBody['files'][number];
  GeoCoordinates: Partial<LocationBody['coordinates']>;
  ContentItem: Item;
  LineEmoji: LineEmojiItem;
  EmailSender: NonNullable<NonNullable<HtmlBody['metadata']>['emailFrom']>;
  ListReplyMessage: NonNullable<NonNullable<ListBody['metadata']>['replyMessage']>;
  AuthenticationOtp: AuthenticationBody['otp'];
  LinkAction: ActionObject<'link'>;
  ReplyAction: ActionObject<'reply'>;
  LocationRequestAction: ActionObject<'locationRequest'>;
  BuyAction: ActionObject<'buy'>;
  PostbackAction: ActionObject<'postback'>;
}

export type ObjectName = keyof WireObjects;
export type ChoiceName = 'body' | 'action';

/** Every path into T's own objects (not into lists: a list of objects has a table of its own), at most 4 deep. */
type WirePath<T, Depth extends unknown[] = []> = Depth['length'] extends 4
  ? never
  : T extends object
    ? { [K in keyof T & string]-?: readonly [K] | readonly [K, ...SubPath<T[K], [...Depth, 1]>] }[keyof T & string]
    : never;
type SubPath<V, Depth extends unknown[]> = unknown extends V
  ? readonly string[]
  : NonNullable<V> extends readonly unknown[]
    ? never
    : WirePath<NonNullable<V>, Depth>;

/** One GraphQL field of a content object. */
export interface FieldSpec<W = unknown> {
  /** Where Bird holds the value, from the object that holds the field: `['metadata', 'subject']`. */
  readonly path: unknown extends W ? readonly string[] : WirePath<W>;
  /**
   * How the value is written: copied as it is when absent; `url`, a URL scalar sent as its href; `pairs`, a list of
   * `{ name, value }` sent as Bird's string map; or an object (`{ object }`) or a @oneOf choice (`{ choice }`) with a
   * table of its own.
   */
  readonly value?: 'url' | 'pairs' | { readonly object: ObjectName } | { readonly choice: ChoiceName };
  /** A list of such values (of `object` or `choice`), each written and path-mapped by that table. */
  readonly list?: true;
  /** Set by Bird and only read back: no input field writes it. */
  readonly readOnly?: true;
  /** Sent when the input leaves the field unset: the GraphQL default, for callers that bypass GraphQL. */
  readonly default?: unknown;
}

const ACTIONS = { path: ['actions'], value: { choice: 'action' }, list: true } as const;
const ATTACHMENTS = { path: ['attachments'], value: { object: 'MessageAttachment' }, list: true } as const;
const ITEMS = { path: ['items'], value: { object: 'ContentItem' }, list: true } as const;
const HEADERS = { path: ['metadata', 'headers'], value: 'pairs' } as const;
const PARSE_MODE = { path: ['metadata', 'telegram', 'parseMode'] } as const;
const DESCRIPTION_LABEL = { path: ['metadata', 'description', 'label'] } as const;
/** Bird's `MediaMetadata`, shared by image and file bodies. */
const MEDIA_METADATA = {
  subject: { path: ['metadata', 'subject'] },
  fallbackText: { path: ['metadata', 'fallbackText'] },
  storyType: { path: ['metadata', 'storyType'], readOnly: true },
  telegramParseMode: PARSE_MODE,
} as const;

/** The fields of each content object; their order is the key order of the JSON sent to Bird. */
export const FIELDS = {
  TextContent: {
    text: { path: ['text'] },
    attachments: ATTACHMENTS,
    actions: ACTIONS,
    subject: { path: ['metadata', 'subject'] },
    headers: HEADERS,
    whatsappPreviewUrl: { path: ['metadata', 'whatsapp', 'previewUrl'] },
    lineEmojis: { path: ['metadata', 'line', 'emoji', 'items'], value: { object: 'LineEmoji' }, list: true },
    telegramParseMode: PARSE_MODE,
    appleSummaryText: { path: ['metadata', 'apple', 'summaryText'] },
  },
  HtmlContent: {
    text: { path: ['text'] },
    html: { path: ['html'] },
    attachments: ATTACHMENTS,
    actions: ACTIONS,
    subject: { path: ['metadata', 'subject'] },
    emailFrom: { path: ['metadata', 'emailFrom'], value: { object: 'EmailSender' } },
    headers: HEADERS,
    initialOpenTracking: { path: ['metadata', 'initialOpenTracking'] },
    clickTracking: { path: ['metadata', 'clickTracking'] },
    openTracking: { path: ['metadata', 'openTracking'] },
  },
  ImageContent: {
    text: { path: ['text'] },
    images: { path: ['images'], value: { object: 'MessageImage' }, list: true },
    ...MEDIA_METADATA,
    actions: ACTIONS,
  },
  FileContent: {
    text: { path: ['text'] },
    files: { path: ['files'], value: { object: 'MessageFile' }, list: true },
    ...MEDIA_METADATA,
    actions: ACTIONS,
  },
  GifContent: {
    text: { path: ['text'] },
    mediaUrl: { path: ['mediaUrl'], value: 'url' },
    altText: { path: ['altText'] },
    actions: ACTIONS,
    telegramParseMode: PARSE_MODE,
  },
  LocationContent: {
    coordinates: { path: ['coordinates'], value: { object: 'GeoCoordinates' } },
    address: { path: ['location', 'address'] },
    label: { path: ['location', 'label'] },
  },
  CarouselContent: {
    text: { path: ['text'] },
    items: ITEMS,
  },
  ListContent: {
    title: { path: ['title'] },
    text: { path: ['text'] },
    altText: { path: ['altText'] },
    items: ITEMS,
    actions: ACTIONS,
    buttonLabel: { path: ['metadata', 'button', 'label'] },
    replyMessage: { path: ['metadata', 'replyMessage'], value: { object: 'ListReplyMessage' } },
  },
  SectionContent: {
    contents: { path: ['items'], value: { choice: 'body' }, list: true },
    configurations: { path: ['configurations'] },
  },
  AuthenticationContent: {
    otp: { path: ['otp'], value: { object: 'AuthenticationOtp' } },
  },
  PermissionRequestContent: {
    resource: { path: ['permission_request', 'resource'], default: 'call' },
  },
  MessageAttachment: {
    mediaUrl: { path: ['mediaUrl'], value: 'url' },
    filename: { path: ['filename'] },
    content: { path: ['content'] },
    contentType: { path: ['contentType'] },
    inline: { path: ['inline'] },
    contentId: { path: ['contentId'] },
  },
  MessageImage: {
    mediaUrl: { path: ['mediaUrl'], value: 'url' },
    altText: { path: ['altText'] },
  },
  MessageFile: {
    mediaUrl: { path: ['mediaUrl'], value: 'url' },
    contentType: { path: ['contentType'] },
    filename: { path: ['filename'] },
    altText: { path: ['altText'] },
    isAnimated: { path: ['metadata', 'isAnimated'] },
  },
  GeoCoordinates: {
    latitude: { path: ['latitude'] },
    longitude: { path: ['longitude'] },
  },
  ContentItem: {
    title: { path: ['title'] },
    mediaUrl: { path: ['mediaUrl'], value: 'url' },
    description: { path: ['description'] },
    altText: { path: ['altText'] },
    actions: ACTIONS,
  },
  LineEmoji: {
    index: { path: ['index'] },
    productId: { path: ['productId'] },
    emojiId: { path: ['emojiId'] },
    length: { path: ['length'], readOnly: true },
  },
  EmailSender: {
    username: { path: ['username'] },
    displayName: { path: ['displayName'] },
  },
  ListReplyMessage: {
    title: { path: ['title'] },
    text: { path: ['text'] },
  },
  AuthenticationOtp: {
    disclaimer: { path: ['disclaimer'] },
    expirationTime: { path: ['expirationTime'] },
    actions: ACTIONS,
  },
  LinkAction: {
    text: { path: ['text'] },
    url: { path: ['url'] },
  },
  ReplyAction: {
    text: { path: ['text'] },
    imageUrl: { path: ['imageUrl'], value: 'url' },
    descriptionLabel: DESCRIPTION_LABEL,
  },
  LocationRequestAction: {
    text: { path: ['text'] },
  },
  BuyAction: {
    text: { path: ['text'] },
    amountCents: { path: ['amountCents'] },
    currency: { path: ['currency'] },
  },
  PostbackAction: {
    text: { path: ['text'] },
    payload: { path: ['payload'] },
    imageUrl: { path: ['imageUrl'], value: 'url' },
    descriptionLabel: DESCRIPTION_LABEL,
  },
} as const satisfies { [O in ObjectName]: Record<string, FieldSpec<WireObjects[O]>> };

/** One kind of a @oneOf choice: Bird writes it `{ type: wire, [wire]: object }`. */
export interface KindSpec {
  /** Bird's `type` of the kind, which is also the key of its object. */
  readonly wire: string;
  readonly object: ObjectName;
  /** Fixed entries Bird's object of this kind carries besides the fields. */
  readonly constants?: Readonly<Record<string, string>>;
  /** Bird's object of this kind is optional: left out when no field is set (`{ type: 'locationRequest' }`). */
  readonly optional?: true;
}

/**
 * The @oneOf choices, keyed by the input field name of each kind (named after Bird's kind, except
 * `permissionRequest`: Bird's body type is `action`, with `type: permission_request` inside; bird-api.md §3.4).
 */
export const CHOICES = {
  body: {
    input: 'MessageBodyInput',
    kinds: {
      text: { wire: 'text', object: 'TextContent' },
      html: { wire: 'html', object: 'HtmlContent' },
      image: { wire: 'image', object: 'ImageContent' },
      file: { wire: 'file', object: 'FileContent' },
      gif: { wire: 'gif', object: 'GifContent' },
      location: { wire: 'location', object: 'LocationContent' },
      carousel: { wire: 'carousel', object: 'CarouselContent' },
      list: { wire: 'list', object: 'ListContent' },
      section: { wire: 'section', object: 'SectionContent' },
      authentication: { wire: 'authentication', object: 'AuthenticationContent' },
      permissionRequest: {
        wire: 'action',
        object: 'PermissionRequestContent',
        constants: { type: 'permission_request' },
      },
    },
  },
  action: {
    input: 'MessageActionInput',
    kinds: {
      link: { wire: 'link', object: 'LinkAction' },
      reply: { wire: 'reply', object: 'ReplyAction' },
      locationRequest: { wire: 'locationRequest', object: 'LocationRequestAction', optional: true },
      buy: { wire: 'buy', object: 'BuyAction' },
      postback: { wire: 'postback', object: 'PostbackAction' },
    },
  },
} as const satisfies Record<ChoiceName, { input: string; kinds: Record<string, KindSpec> }>;

/** The input field names of a choice's kinds, in table order. */
export function kindNames<C extends ChoiceName>(choice: C): (keyof (typeof CHOICES)[C]['kinds'] & string)[] {
  return Object.keys(CHOICES[choice].kinds) as (keyof (typeof CHOICES)[C]['kinds'] & string)[];
}

/** The fields of a table and the kinds of a choice, untyped, for the walkers. */
export function fieldsOf(object: ObjectName): [string, FieldSpec][] {
  return Object.entries(FIELDS[object]) as [string, FieldSpec][];
}

export function kindsOf(choice: ChoiceName): [string, KindSpec][] {
  return Object.entries(CHOICES[choice].kinds);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a field (content.ts)
// ---------------------------------------------------------------------------------------------------------------

/** The type at `P` inside `T`: undefined where an object on the way may be missing, unknown where Bird types loosely. */
type At<T, P extends readonly string[]> = P extends readonly [infer H extends string, ...infer R extends readonly string[]]
  ? T extends undefined | null
    ? undefined
    : unknown extends T
      ? unknown
      : H extends keyof T
        ? At<T[H], R>
        : unknown
  : T;

export type FieldName<O extends ObjectName> = keyof (typeof FIELDS)[O] & string;
type PathOf<O extends ObjectName, F extends FieldName<O>> = (typeof FIELDS)[O][F] extends {
  path: infer P extends readonly string[];
}
  ? P
  : never;

/** The value at `path` inside `value`, or undefined where an object on the way is missing. */
export function readPath(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * A field of a content object read from its Bird object, typed as Bird types it:
 * `readField('ListContent', list, 'buttonLabel')` is `list.metadata?.button?.label`.
 */
export function readField<O extends ObjectName, F extends FieldName<O>>(
  object: O,
  wire: Maybe<WireObjects[O]>,
  field: F,
): At<WireObjects[O], PathOf<O, F>> {
  const spec = (FIELDS[object] as Record<string, FieldSpec>)[field] as FieldSpec;
  return readPath(wire, spec.path) as At<WireObjects[O], PathOf<O, F>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping a Bird path back to the input (send.ts)
// ---------------------------------------------------------------------------------------------------------------

const startsWith = (path: readonly string[], prefix: readonly string[]) => prefix.every((key, i) => path[i] === key);
const isIndex = (key: string | undefined) => key !== undefined && /^\d+$/.test(key);

/**
 * The input path, relative to MessageBodyInput, of a Bird path inside a `body` (a key of Bird's 422 `details`, split
 * on dots): `list.metadata.button.label` → `list.buttonLabel`, `section.items.0.image.images.1.mediaUrl` →
 * `section.contents.0.image.images.1.mediaUrl`, `action.permission_request.resource` → `permissionRequest.resource`.
 * A path into a wrapper the table flattens names its one field below, or else the object that holds the wrapper;
 * anything else the table does not name is kept as Bird wrote it.
 */
export function bodyInputPath(birdPath: readonly string[]): string[] {
  return choiceInputPath('body', birdPath);
}

function choiceInputPath(choice: ChoiceName, birdPath: readonly string[]): string[] {
  const [key, ...rest] = birdPath;
  const kind = kindsOf(choice).find(([, spec]) => spec.wire === key);
  return kind ? [kind[0], ...objectInputPath(kind[1].object, rest)] : [...birdPath];
}

function objectInputPath(object: ObjectName, birdPath: readonly string[]): string[] {
  if (birdPath.length === 0) return [];
  const fields = fieldsOf(object);
  let match: [string, FieldSpec] | undefined;
  for (const entry of fields) {
    const { path } = entry[1];
    if (startsWith(birdPath, path) && path.length > (match?.[1].path.length ?? 0)) match = entry;
  }
  if (!match) {
    // In a wrapper the table flattens (`metadata`, `location`): the one field below the path, else the object itself.
    const under = fields.filter(([, spec]) => startsWith(spec.path, birdPath));
    if (under.length === 1) return [(under[0] as [string, FieldSpec])[0]];
    return fields.some(([, spec]) => spec.path.length > 1 && spec.path[0] === birdPath[0]) ? [] : [...birdPath];
  }
  const [name, spec] = match;
  const rest = birdPath.slice(spec.path.length);
  const nested = typeof spec.value === 'object' ? spec.value : undefined;
  if (!nested || rest.length === 0) return [name, ...rest];
  const inner = (path: readonly string[]) =>
    'object' in nested ? objectInputPath(nested.object, path) : choiceInputPath(nested.choice, path);
  if (!spec.list) return [name, ...inner(rest)];
  const [index, ...within] = rest;
  return isIndex(index) ? [name, index as string, ...inner(within)] : [name, ...rest];
}
