// The message content kinds, output side: the MessageContent union (Bird body kinds, templates) and MessageAction.
//
// Backing models are Bird's wire objects (`MessageBody`, `Action`, `MessageTemplate` from ../bird/types.ts); there is
// no second model. Every field of a body, action or nested body object reads its value at the Bird path that
// ./body-fields.ts gives it (readField), the same table the send side writes and maps errors with. Conventions:
//
// - Each union member is backed by the whole wire variant (`{ type: 'text', text: {...} }`), because GraphQL hands a
//   union member the same value the union field resolved. Bird's `metadata` objects are flattened onto the member
//   (`subject`, `whatsappPreviewUrl`, `telegramParseMode`, …): they are one level deep and platform-scoped, and a flat
//   field is what a typed client wants to select.
// - Nullability follows Bird's send schema: a field is non-null only when Bird marks it required in the same wire
//   object (MessageImage.mediaUrl, BuyAction.amountCents…). Anything reached through an optional object (`metadata.*`,
//   `location.location.*`, `authentication.otp`) stays nullable. One exception: a field name shared by several union
//   members has one type across them (see TEXT_NULLABILITY below), so `text` and `items` can be selected together.
// - Scalars: `URL` only where Bird's schema says `format: uri` (every `mediaUrl`; Bird rejects other values on send,
//   and received media carry absolute URLs on Bird's media host). Link `url` may be a `{{var}}` template string and
//   action `imageUrl` has no format in Bird's schema, so both are `String`: the URL scalar throws on anything but an
//   absolute URL, and through a non-null field that error would null the whole content.
// - Open sets stay open where Bird adds values over time (template parameter `type` is a String); closed, documented
//   sets are enums whose unknown values resolve to null rather than failing the field.
// - Body kinds this schema does not know resolve to `UnsupportedContent` (raw JSON) instead of an error; actions of an
//   unknown kind are left out of `actions` lists.
import type {
  Action,
  Attachment,
  FileBody,
  Item,
  MessageBody,
  MessageTemplate,
  PermissionRequestBody,
  TemplateParameter,
} from '../bird/types.ts';
import { builder } from '../builder.ts';
import { type FieldName, type LineEmojiItem, kindsOf, readField } from './body-fields.ts';

type Types = typeof builder.$inferSchemaTypes;

// ---------------------------------------------------------------------------------------------------------------
// Shapes and helpers
// ---------------------------------------------------------------------------------------------------------------

/** What a MessageContent field resolves to: a Bird body, or a template send wrapped like one. */
export type ContentShape = MessageBody | { type: 'template'; template: MessageTemplate };

type Variant<K extends ContentShape['type']> = Extract<ContentShape, { type: K }>;
type ActionVariant<K extends Action['type']> = Extract<Action, { type: K }>;

/**
 * The content of a message: its body when present (Bird's `body` wins, as in a send), else its template wrapped as
 * `{ type: 'template', template }`; `null` when the message has neither.
 */
export function contentOf(message: {
  body?: MessageBody | null;
  template?: MessageTemplate | null;
}): ContentShape | null {
  if (message.body) return message.body;
  if (message.template) return { type: 'template', template: message.template };
  return null;
}

/**
 * A plain-text preview of a content: the text of text, list and carousel bodies, an email's text part (or its HTML
 * with tags stripped), the caption of image/file/gif bodies, a location's label or address, and the previews of a
 * section's items joined by newlines. `null` when the content carries no text (templates, OTP, permission requests).
 */
export function contentText(content: ContentShape | null | undefined): string | null {
  if (!content || typeof content !== 'object') return null;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
  switch (content.type) {
    case 'text':
      return text(readField('TextContent', content.text, 'text'));
    case 'html':
      return (
        text(readField('HtmlContent', content.html, 'text')) ??
        text(htmlToText(readField('HtmlContent', content.html, 'html')))
      );
    case 'image':
      return text(readField('ImageContent', content.image, 'text'));
    case 'file':
      return text(readField('FileContent', content.file, 'text'));
    case 'gif':
      return text(readField('GifContent', content.gif, 'text'));
    case 'list':
      return text(readField('ListContent', content.list, 'text'));
    case 'carousel':
      return text(readField('CarouselContent', content.carousel, 'text'));
    case 'location':
      return (
        text(readField('LocationContent', content.location, 'label')) ??
        text(readField('LocationContent', content.location, 'address'))
      );
    case 'section': {
      const items = readField('SectionContent', content.section, 'contents') ?? [];
      const parts = items.map((item) => contentText(item)).filter((p) => p !== null);
      return parts.length > 0 ? parts.join('\n') : null;
    }
    default:
      return null;
  }
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A rough text rendering of an email's HTML for previews: no scripts or styles, tags dropped, whitespace collapsed. */
function htmlToText(html: unknown): string | null {
  if (typeof html !== 'string') return null;
  return html
    .replace(/<(script|style|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
      if (code[0] === '#') {
        const point = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return Number.isFinite(point) && point >= 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
      }
      return HTML_ENTITIES[code.toLowerCase()] ?? entity;
    })
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

const ACTION_TYPES = new Set<string>(kindsOf('action').map(([, kind]) => kind.wire));

/** Bird's `actions` minus entries of a kind this schema does not know (so one new kind can't null the whole list). */
function knownActions(actions: Action[] | null | undefined): Action[] | null {
  if (!Array.isArray(actions)) return null;
  return actions.filter((a) => a !== null && typeof a === 'object' && ACTION_TYPES.has(a.type));
}

/** A `{ string: string }` map as ordered name/value pairs; non-string values are rendered as JSON. */
function entries(map: unknown): { name: string; value: string }[] | null {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return null;
  return Object.entries(map as Record<string, unknown>).map(([name, value]) => ({
    name,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

const PARSE_MODES = ['Markdown', 'MarkdownV2'] as const;

/** Telegram's `parseMode`, which Bird types loosely on some bodies. */
function telegramParseMode(value: unknown): (typeof PARSE_MODES)[number] | null {
  return oneOf(value, PARSE_MODES);
}

// ---------------------------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------------------------

export const TelegramParseMode = builder.enumType('TelegramParseMode', {
  description: "Telegram's markup for the message text (Bird's `metadata.telegram.parseMode`).",
  values: {
    MARKDOWN: { value: 'Markdown', description: "Telegram's legacy Markdown (`Markdown`)." },
    MARKDOWN_V2: { value: 'MarkdownV2', description: "Telegram's MarkdownV2 (`MarkdownV2`)." },
  } as const,
});

export const PermissionResource = builder.enumType('PermissionResource', {
  description: 'What a permission request asks the contact to allow (Bird `permission_request.resource`).',
  values: {
    CALL: { value: 'call', description: 'Permission to call the contact (`call`).' },
  } as const,
});

export const UtmParameterReference = builder.enumType('UtmParameterReference', {
  description: 'A dynamic value Bird fills into a UTM parameter when it sends the message.',
  values: {
    PLATFORM_NAME: { value: 'platform_name', description: 'The platform the message is sent on (`platform_name`).' },
    CHANNEL_NAME: { value: 'channel_name', description: 'The name of the sending channel (`channel_name`).' },
  } as const,
});

// ---------------------------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------------------------

const DESCRIPTION_LABEL_DESCRIPTION =
  'The secondary line of the row in a WhatsApp list message (Bird `metadata.description.label`, at most 72 ' +
  'characters). WhatsApp only.';

export const LinkAction = builder.objectRef<ActionVariant<'link'>>('LinkAction').implement({
  description: 'A button or suggestion that opens a URL (Bird action `link`).',
  fields: (t) => ({
    text: t.string({
      description: 'The button label.',
      nullable: false,
      resolve: (a) => readField('LinkAction', a.link, 'text'),
    }),
    url: t.string({
      description:
        'Where the button leads: an absolute URL, or a template string such as `https://example.com/{{code}}` that ' +
        'Bird fills in when sending (hence a String, not a URL).',
      nullable: false,
      resolve: (a) => readField('LinkAction', a.link, 'url'),
    }),
  }),
});

export const ReplyAction = builder.objectRef<ActionVariant<'reply'>>('ReplyAction').implement({
  description:
    'A quick reply: tapping it sends its text back as the contact\'s message (Bird action `reply`). In WhatsApp list ' +
    'messages it is a row of the list.',
  fields: (t) => ({
    text: t.string({
      description: 'The label shown, and the text sent back when the contact taps it.',
      nullable: false,
      resolve: (a) => readField('ReplyAction', a.reply, 'text'),
    }),
    imageUrl: t.string({
      description: 'An icon shown with the reply, where the platform supports it. Bird does not require an absolute URL.',
      resolve: (a) => readField('ReplyAction', a.reply, 'imageUrl'),
    }),
    descriptionLabel: t.string({
      description: DESCRIPTION_LABEL_DESCRIPTION,
      resolve: (a) => readField('ReplyAction', a.reply, 'descriptionLabel'),
    }),
  }),
});

export const LocationRequestAction = builder
  .objectRef<ActionVariant<'locationRequest'>>('LocationRequestAction')
  .implement({
    description: 'A button asking the contact to share their location (Bird action `locationRequest`).',
    fields: (t) => ({
      text: t.string({
        description: 'The button label. Bird\'s default, "Send location", when the send did not set one.',
        nullable: false,
        resolve: (a) => readField('LocationRequestAction', a.locationRequest, 'text') ?? 'Send location',
      }),
    }),
  });

export const BuyAction = builder.objectRef<ActionVariant<'buy'>>('BuyAction').implement({
  description: 'A button to buy something for a fixed price (Bird action `buy`).',
  fields: (t) => ({
    text: t.string({
      description: 'The button label.',
      nullable: false,
      resolve: (a) => readField('BuyAction', a.buy, 'text'),
    }),
    amountCents: t.int({
      description: 'The price in the currency\'s minor unit (cents for EUR or USD): 1250 means 12.50.',
      nullable: false,
      resolve: (a) => readField('BuyAction', a.buy, 'amountCents'),
    }),
    currency: t.string({
      description: 'The ISO 4217 currency code of the price, three letters such as `EUR`.',
      nullable: false,
      resolve: (a) => readField('BuyAction', a.buy, 'currency'),
    }),
  }),
});

export const PostbackAction = builder.objectRef<ActionVariant<'postback'>>('PostbackAction').implement({
  description:
    'A button that, when tapped, reports its payload back to the sender without it being typed by the contact ' +
    '(Bird action `postback`).',
  fields: (t) => ({
    text: t.string({
      description: 'The button label.',
      nullable: false,
      resolve: (a) => readField('PostbackAction', a.postback, 'text'),
    }),
    payload: t.string({
      description: 'The data sent back (in the resulting interaction) when the contact taps the button.',
      resolve: (a) => readField('PostbackAction', a.postback, 'payload'),
    }),
    imageUrl: t.string({
      description: 'An icon shown with the button, where the platform supports it. Bird does not require an absolute URL.',
      resolve: (a) => readField('PostbackAction', a.postback, 'imageUrl'),
    }),
    descriptionLabel: t.string({
      description: DESCRIPTION_LABEL_DESCRIPTION,
      resolve: (a) => readField('PostbackAction', a.postback, 'descriptionLabel'),
    }),
  }),
});

export const MessageAction = builder.unionType('MessageAction', {
  description:
    'An interactive element attached to a message: a button, quick reply or suggestion (Bird `Action`, by `type`). ' +
    'How it renders depends on the platform.',
  types: [LinkAction, ReplyAction, LocationRequestAction, BuyAction, PostbackAction],
  resolveType: (action) => {
    switch (action.type) {
      case 'link':
        return LinkAction;
      case 'reply':
        return ReplyAction;
      case 'locationRequest':
        return LocationRequestAction;
      case 'buy':
        return BuyAction;
      case 'postback':
        return PostbackAction;
      default:
        // knownActions() filters these out of every list; reaching here means a caller bypassed it.
        throw new Error(`Unknown Bird action type: ${String((action as { type?: unknown }).type)}`);
    }
  },
});

const ACTIONS_DESCRIPTION =
  'Buttons, quick replies or suggestions attached to this content, in Bird\'s order. Kinds this schema does not know ' +
  'yet are left out.';

// ---------------------------------------------------------------------------------------------------------------
// Nested objects
// ---------------------------------------------------------------------------------------------------------------

export const EmailHeader = builder.objectRef<{ name: string; value: string }>('EmailHeader').implement({
  description:
    'A custom email header Bird adds to the message (one entry of Bird\'s `headers` map), in the map\'s order.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The header name, e.g. `X-Campaign`.', nullable: false }),
    value: t.exposeString('value', { description: 'The header value.', nullable: false }),
  }),
});

export const EmailSender = builder
  .objectRef<{ username?: string; displayName?: string }>('EmailSender')
  .implement({
    description: 'Overrides of the email sender for this message (Bird `metadata.emailFrom`).',
    fields: (t) => ({
      username: t.string({
        description: 'The local part of the sender address (before the `@`), on the channel\'s own domain.',
        resolve: (s) => readField('EmailSender', s, 'username'),
      }),
      displayName: t.string({
        description: 'The sender name shown to the recipient.',
        resolve: (s) => readField('EmailSender', s, 'displayName'),
      }),
    }),
  });

export const LineEmoji = builder
  .objectRef<LineEmojiItem>('LineEmoji')
  .implement({
    description: 'A LINE emoji placed in the text (Bird `metadata.line.emoji.items`). LINE only.',
    fields: (t) => ({
      index: t.int({
        description: 'The 0-based position in the text of the `$` placeholder this emoji replaces.',
        nullable: false,
        resolve: (e) => readField('LineEmoji', e, 'index'),
      }),
      productId: t.string({
        description: 'The LINE emoji set (product) the emoji belongs to.',
        nullable: false,
        resolve: (e) => readField('LineEmoji', e, 'productId'),
      }),
      emojiId: t.string({
        description: 'The emoji within its set.',
        nullable: false,
        resolve: (e) => readField('LineEmoji', e, 'emojiId'),
      }),
      length: t.int({
        description: 'How many characters of the text the emoji takes up. Read-only: set on messages read back.',
        resolve: (e) => readField('LineEmoji', e, 'length'),
      }),
    }),
  });

/** The `downloadUrl` next to every `mediaUrl`: what a browser loads (src/media/links.ts). */
const DOWNLOAD_URL_DESCRIPTION =
  'A URL a browser can load the media from, without an access key. For media on Bird\'s media host: a short-lived ' +
  'signed link to this server (MEDIA_LINK_TTL_SECONDS, 15 minutes by default) that streams the file from Bird with ' +
  'your credential; ask again for a fresh one. For any other http(s) URL: the URL itself. Null when there is none.';

export const MessageAttachment = builder.objectRef<Attachment>('MessageAttachment').implement({
  description:
    'A file attached to an email (text and html bodies) or to a template send: either a `mediaUrl` Bird fetches, or ' +
    'inline base64 `content` with its `contentType` (html bodies only).',
  fields: (t) => ({
    mediaUrl: t.field({
      type: 'URL',
      description: 'Where Bird fetches the file from. Unset when the file is given inline as `content`.',
      resolve: (a) => readField('MessageAttachment', a, 'mediaUrl'),
    }),
    downloadUrl: t.field({
      type: 'URL',
      description: DOWNLOAD_URL_DESCRIPTION,
      resolve: (a, _args, ctx) => ctx.mediaLinks.downloadUrl(readField('MessageAttachment', a, 'mediaUrl')),
    }),
    filename: t.string({
      description: 'The file name the recipient sees.',
      nullable: false,
      resolve: (a) => readField('MessageAttachment', a, 'filename'),
    }),
    contentType: t.string({
      description: 'The MIME type of inline `content`, e.g. `application/pdf`.',
      resolve: (a) => readField('MessageAttachment', a, 'contentType'),
    }),
    content: t.string({
      description: 'The file itself, base64-encoded, when given inline instead of by `mediaUrl` (html bodies only).',
      resolve: (a) => readField('MessageAttachment', a, 'content'),
    }),
    inline: t.boolean({
      description: 'Whether the file is shown inside the email body (referenced by `contentId`) rather than attached.',
      resolve: (a) => readField('MessageAttachment', a, 'inline'),
    }),
    contentId: t.string({
      description: 'The Content-ID that the HTML references (`cid:<contentId>`) to show an inline attachment.',
      resolve: (a) => readField('MessageAttachment', a, 'contentId'),
    }),
  }),
});

type ImageShape = ImageVariantBody['images'][number];
type ImageVariantBody = Variant<'image'>['image'];

export const MessageImage = builder.objectRef<ImageShape>('MessageImage').implement({
  description: 'An image of an image message.',
  fields: (t) => ({
    mediaUrl: t.field({
      type: 'URL',
      description: 'Where the image is served. Bird media URLs need the workspace access key to download.',
      nullable: false,
      resolve: (i) => readField('MessageImage', i, 'mediaUrl'),
    }),
    downloadUrl: t.field({
      type: 'URL',
      description: DOWNLOAD_URL_DESCRIPTION,
      resolve: (i, _args, ctx) => ctx.mediaLinks.downloadUrl(readField('MessageImage', i, 'mediaUrl')),
    }),
    altText: t.string({
      description: 'A text description of the image, for accessibility.',
      resolve: (i) => readField('MessageImage', i, 'altText'),
    }),
  }),
});

export const MessageFile = builder.objectRef<FileBody['files'][number]>('MessageFile').implement({
  description:
    'A file of a file message: a document, audio, video or sticker (WhatsApp audio, documents and videos arrive as ' +
    'file messages).',
  fields: (t) => ({
    mediaUrl: t.field({
      type: 'URL',
      description: 'Where the file is served. Bird media URLs need the workspace access key to download.',
      nullable: false,
      resolve: (f) => readField('MessageFile', f, 'mediaUrl'),
    }),
    downloadUrl: t.field({
      type: 'URL',
      description: DOWNLOAD_URL_DESCRIPTION,
      resolve: (f, _args, ctx) => ctx.mediaLinks.downloadUrl(readField('MessageFile', f, 'mediaUrl')),
    }),
    contentType: t.string({
      description: 'The MIME type of the file, e.g. `application/pdf` or `audio/ogg`.',
      nullable: false,
      resolve: (f) => readField('MessageFile', f, 'contentType'),
    }),
    filename: t.string({
      description: 'The file name shown to the recipient.',
      resolve: (f) => readField('MessageFile', f, 'filename'),
    }),
    altText: t.string({
      description: 'A text description of the file, for accessibility.',
      resolve: (f) => readField('MessageFile', f, 'altText'),
    }),
    isAnimated: t.boolean({
      description: 'For stickers: whether the sticker is animated (Bird `metadata.isAnimated`).',
      resolve: (f) => readField('MessageFile', f, 'isAnimated'),
    }),
  }),
});

export const GeoCoordinates = builder
  .objectRef<{ latitude?: number; longitude?: number }>('GeoCoordinates')
  .implement({
    description: 'A point on Earth in WGS 84 decimal degrees.',
    fields: (t) => ({
      latitude: t.float({
        description: 'Degrees north (positive) or south (negative), −90 to 90.',
        resolve: (g) => readField('GeoCoordinates', g, 'latitude'),
      }),
      longitude: t.float({
        description: 'Degrees east (positive) or west (negative), −180 to 180.',
        resolve: (g) => readField('GeoCoordinates', g, 'longitude'),
      }),
    }),
  });

export const ContentItem = builder.objectRef<Item>('ContentItem').implement({
  description: 'A card of a carousel, or an entry of a list message (Bird `Item`).',
  fields: (t) => ({
    title: t.string({
      description: 'The card or entry title. WhatsApp carousels require one on every card.',
      resolve: (i) => readField('ContentItem', i, 'title'),
    }),
    description: t.string({
      description: 'Text under the title.',
      resolve: (i) => readField('ContentItem', i, 'description'),
    }),
    mediaUrl: t.field({
      type: 'URL',
      description:
        'The image or video of the card. WhatsApp carousels: every card has one, all images (JPEG, PNG) or all ' +
        'videos (MP4, 3GPP).',
      resolve: (i) => readField('ContentItem', i, 'mediaUrl'),
    }),
    downloadUrl: t.field({
      type: 'URL',
      description: DOWNLOAD_URL_DESCRIPTION,
      resolve: (i, _args, ctx) => ctx.mediaLinks.downloadUrl(readField('ContentItem', i, 'mediaUrl')),
    }),
    altText: t.string({
      description: 'A text description of the media, for accessibility.',
      resolve: (i) => readField('ContentItem', i, 'altText'),
    }),
    actions: t.field({
      type: [MessageAction],
      nullable: { list: true, items: false },
      description: `${ACTIONS_DESCRIPTION} WhatsApp carousels: exactly one link action per card.`,
      resolve: (i) => knownActions(readField('ContentItem', i, 'actions')),
    }),
  }),
});

export const ListReplyMessage = builder
  .objectRef<{ title?: string; text?: string }>('ListReplyMessage')
  .implement({
    description:
      'The message shown as the contact\'s reply once they pick an entry of a list (Bird `metadata.replyMessage`). ' +
      'Apple Messages for Business only.',
    fields: (t) => ({
      title: t.string({
        description: 'The reply\'s title, at most 512 characters.',
        resolve: (m) => readField('ListReplyMessage', m, 'title'),
      }),
      text: t.string({
        description: 'The reply\'s text, at most 512 characters.',
        resolve: (m) => readField('ListReplyMessage', m, 'text'),
      }),
    }),
  });

export const AuthenticationOtp = builder
  .objectRef<Variant<'authentication'>['authentication']['otp']>('AuthenticationOtp')
  .implement({
    description: 'How a one-time-password (authentication template) message is rendered (Bird `authentication.otp`).',
    fields: (t) => ({
      disclaimer: t.boolean({
        description:
          'Whether the platform adds its security disclaimer (WhatsApp: "For your security, do not share this code.").',
        nullable: false,
        resolve: (o) => readField('AuthenticationOtp', o, 'disclaimer'),
      }),
      expirationTime: t.int({
        description:
          'When the code expires, 1–90 (Bird documents seconds; WhatsApp\'s own setting counts minutes). Unset: no ' +
          'expiration notice is shown.',
        resolve: (o) => readField('AuthenticationOtp', o, 'expirationTime'),
      }),
      actions: t.field({
        type: [MessageAction],
        nullable: { list: true, items: false },
        description: `${ACTIONS_DESCRIPTION} Typically a copy-code or autofill button.`,
        resolve: (o) => knownActions(readField('AuthenticationOtp', o, 'actions')),
      }),
    }),
  });

type TemplateAttachment = NonNullable<MessageTemplate['attachments']>[number];
type UtmParameterShape = NonNullable<MessageTemplate['utmParameters']>[number];

export const TemplateVariable = builder.objectRef<{ name: string; value: string }>('TemplateVariable').implement({
  description: 'One entry of a template send\'s legacy `variables` map.',
  fields: (t) => ({
    key: t.string({
      description: 'The variable name as used in the template; `default` is the fallback value.',
      nullable: false,
      resolve: (v) => v.name,
    }),
    value: t.exposeString('value', { description: 'The value Bird substitutes.', nullable: false }),
  }),
});

export const TemplateParameterRef = builder
  .objectRef<TemplateParameter>('TemplateParameter')
  .implement({
    description:
      'A typed value for a template variable (Bird `TemplateParameter`): its `key` names the variable and its ' +
      '`type` says how `value` is shaped.',
    fields: (t) => ({
      type: t.string({
        description:
          'How `value` is shaped: `string`, `number`, `boolean`, `object`, or a structured kind Bird renders as a ' +
          'platform element: `sectionList`, `timeslotList`, `productSections`, `productList`, `shippingMethodList`, ' +
          '`lineItemList`, `whatsappProductSections`, `whatsappProductItems`. A String because Bird adds kinds.',
        nullable: false,
        resolve: (p) => p.type,
      }),
      key: t.string({
        description: 'The template variable this parameter fills.',
        nullable: false,
        resolve: (p) => p.key,
      }),
      value: t.field({
        type: 'JSON',
        description:
          'The value as Bird holds it: a string, number or boolean for the scalar kinds, an object for the others ' +
          '(e.g. `{ sections: [...] }` for `sectionList`, `{ timeslots: [...] }` for `timeslotList`).',
        resolve: (p) => p.value,
      }),
    }),
  });

export const UtmParameter = builder.objectRef<UtmParameterShape>('UtmParameter').implement({
  description:
    'A UTM query parameter Bird appends to the links of a template send: a static `value` or a dynamic `reference`.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'The query-string name, e.g. `utm_source` (1–20 characters).',
      nullable: false,
    }),
    value: t.string({
      description: 'The static value (1–100 characters). Unset when `reference` is used.',
      resolve: (u) => ('value' in u ? u.value : null),
    }),
    reference: t.field({
      type: UtmParameterReference,
      description: 'The dynamic value Bird fills in at send time. Unset when `value` is used.',
      resolve: (u) => ('reference' in u ? oneOf(u.reference, ['platform_name', 'channel_name'] as const) : null),
    }),
  }),
});

export const TemplateShortLinks = builder
  .objectRef<NonNullable<MessageTemplate['shortLinks']>>('TemplateShortLinks')
  .implement({
    description: 'SMS link shortening for a template send (Bird `template.shortLinks`).',
    fields: (t) => ({
      enabled: t.exposeBoolean('enabled', { description: 'Whether Bird shortens the links of the SMS.' }),
      domain: t.exposeString('domain', {
        description: 'The domain of the short links; `default` is the workspace\'s default link-shortening domain.',
      }),
    }),
  });

// ---------------------------------------------------------------------------------------------------------------
// Content kinds (union members)
// ---------------------------------------------------------------------------------------------------------------

// GraphQL rejects a selection such as `... on TextContent { text } ... on ImageContent { text }` when the two `text`
// fields differ in nullability (OverlappingFieldsCanBeMerged compares response shapes across union members). So a
// field name shared by several members has ONE type everywhere: `text` is nullable on every member (Bird requires it
// only on text and list bodies), and `items` is a non-null list on carousels and lists (Bird requires it only on
// carousels; an absent list reads as empty). The rule reaches into sub-selections too: had a section's parts also been
// called `items`, ContentItem.mediaUrl (URL) would clash with GifContent.mediaUrl (URL!), so they are `contents`. In
// MessageAction every `text` is non-null.
const TEXT_NULLABILITY = 'Nullable like `text` on every other MessageContent kind, so they can be selected together.';
const ITEMS_NULLABILITY = 'Typed like `items` on the other MessageContent kinds, so they can be selected together.';

const SUBJECT_DESCRIPTION = 'The email subject, when this body is sent on an email channel (Bird `metadata.subject`).';
const HEADERS_DESCRIPTION = 'Custom email headers (Bird `metadata.headers`), as name/value pairs in Bird\'s order.';
const PARSE_MODE_DESCRIPTION = 'How Telegram formats the text (Bird `metadata.telegram.parseMode`). Telegram only.';

export const TextContent = builder.objectRef<Variant<'text'>>('TextContent');
TextContent.implement({
  description:
    'A plain-text message (Bird body `text`), optionally with buttons and, on email, a subject, headers and ' +
    'attachments.',
  fields: (t) => ({
    text: t.string({
      description: `The message text; always set on a text body. ${TEXT_NULLABILITY}`,
      resolve: (c) => readField('TextContent', c.text, 'text'),
    }),
    attachments: t.field({
      type: [MessageAttachment],
      nullable: { list: true, items: false },
      description: 'Files attached to the message (email).',
      resolve: (c) => readField('TextContent', c.text, 'attachments'),
    }),
    actions: t.field({
      type: [MessageAction],
      nullable: { list: true, items: false },
      description: ACTIONS_DESCRIPTION,
      resolve: (c) => knownActions(readField('TextContent', c.text, 'actions')),
    }),
    subject: t.string({ description: SUBJECT_DESCRIPTION, resolve: (c) => readField('TextContent', c.text, 'subject') }),
    headers: t.field({
      type: [EmailHeader],
      nullable: { list: true, items: false },
      description: HEADERS_DESCRIPTION,
      resolve: (c) => entries(readField('TextContent', c.text, 'headers')),
    }),
    whatsappPreviewUrl: t.boolean({
      description:
        'Whether WhatsApp shows a preview of the first URL in the text (Bird `metadata.whatsapp.previewUrl`). ' +
        'WhatsApp only.',
      resolve: (c) => readField('TextContent', c.text, 'whatsappPreviewUrl'),
    }),
    telegramParseMode: t.field({
      type: TelegramParseMode,
      description: PARSE_MODE_DESCRIPTION,
      resolve: (c) => telegramParseMode(readField('TextContent', c.text, 'telegramParseMode')),
    }),
    appleSummaryText: t.string({
      description:
        'The summary shown in notifications and the conversation list (Bird `metadata.apple.summaryText`). Apple ' +
        'Messages for Business only.',
      resolve: (c) => readField('TextContent', c.text, 'appleSummaryText'),
    }),
    lineEmojis: t.field({
      type: [LineEmoji],
      nullable: { list: true, items: false },
      description: 'LINE emojis replacing `$` placeholders in the text (Bird `metadata.line.emoji.items`). LINE only.',
      resolve: (c) => {
        const items = readField('TextContent', c.text, 'lineEmojis');
        return Array.isArray(items) ? items.filter((i) => record(i) !== undefined) : null;
      },
    }),
  }),
});

export const HtmlContent = builder.objectRef<Variant<'html'>>('HtmlContent');
HtmlContent.implement({
  description:
    'An email with an HTML part, a plain-text part or both (Bird body `html`); Bird requires at least one of the two.',
  fields: (t) => ({
    text: t.string({
      description: 'The plain-text part of the email. Unset when only `html` was given.',
      resolve: (c) => readField('HtmlContent', c.html, 'text'),
    }),
    html: t.string({
      description: 'The HTML part of the email. Unset when only `text` was given.',
      resolve: (c) => readField('HtmlContent', c.html, 'html'),
    }),
    attachments: t.field({
      type: [MessageAttachment],
      nullable: { list: true, items: false },
      description: 'Files attached to or embedded in the email (by `mediaUrl` or inline base64 `content`).',
      resolve: (c) => readField('HtmlContent', c.html, 'attachments'),
    }),
    actions: t.field({
      type: [MessageAction],
      nullable: { list: true, items: false },
      description: ACTIONS_DESCRIPTION,
      resolve: (c) => knownActions(readField('HtmlContent', c.html, 'actions')),
    }),
    subject: t.string({
      description: 'The email subject (Bird `metadata.subject`).',
      resolve: (c) => readField('HtmlContent', c.html, 'subject'),
    }),
    emailFrom: t.field({
      type: EmailSender,
      description: 'Overrides of the sender username and display name for this email (Bird `metadata.emailFrom`).',
      resolve: (c) => readField('HtmlContent', c.html, 'emailFrom'),
    }),
    headers: t.field({
      type: [EmailHeader],
      nullable: { list: true, items: false },
      description: HEADERS_DESCRIPTION,
      resolve: (c) => entries(readField('HtmlContent', c.html, 'headers')),
    }),
    openTracking: t.boolean({
      description: 'Whether Bird tracks opens of this email (Bird `metadata.openTracking`).',
      resolve: (c) => readField('HtmlContent', c.html, 'openTracking'),
    }),
    initialOpenTracking: t.boolean({
      description:
        'Whether Bird places its open-tracking pixel at the top of the email as well as at the bottom (Bird ' +
        '`metadata.initialOpenTracking`), so opens of clipped emails count.',
      resolve: (c) => readField('HtmlContent', c.html, 'initialOpenTracking'),
    }),
    clickTracking: t.boolean({
      description: 'Whether Bird rewrites the links of this email to track clicks (Bird `metadata.clickTracking`).',
      resolve: (c) => readField('HtmlContent', c.html, 'clickTracking'),
    }),
  }),
});

const MMS_SUBJECT_DESCRIPTION = 'The MMS subject (Bird `metadata.subject`). MMS only.';
const FALLBACK_TEXT_DESCRIPTION =
  'The text sent instead when the recipient cannot receive MMS (Bird `metadata.fallbackText`). MMS only.';
const STORY_TYPE_DESCRIPTION = 'The Instagram story type, for story replies and mentions (Bird `metadata.storyType`).';

type MediaContent = Variant<'image'> | Variant<'file'>;
type MediaField = FieldName<'ImageContent'> & FieldName<'FileContent'>;

/** A field image and file bodies share (caption, actions, Bird's `MediaMetadata`), read through the kind's table. */
function mediaField<F extends MediaField>(c: MediaContent, field: F) {
  return c.type === 'image' ? readField('ImageContent', c.image, field) : readField('FileContent', c.file, field);
}

/** The fields of ImageContent and FileContent: caption, the media list, actions and Bird's `MediaMetadata`. */
function mediaContentFields<P extends MediaContent, L extends object>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, P>,
  media: L,
) {
  return {
    text: t.string({ description: 'The caption.', resolve: (c) => mediaField(c, 'text') }),
    ...media,
    actions: t.field({
      type: [MessageAction],
      nullable: { list: true, items: false },
      description: ACTIONS_DESCRIPTION,
      resolve: (c) => knownActions(mediaField(c, 'actions')),
    }),
    subject: t.string({ description: MMS_SUBJECT_DESCRIPTION, resolve: (c) => mediaField(c, 'subject') }),
    fallbackText: t.string({ description: FALLBACK_TEXT_DESCRIPTION, resolve: (c) => mediaField(c, 'fallbackText') }),
    storyType: t.string({ description: STORY_TYPE_DESCRIPTION, resolve: (c) => mediaField(c, 'storyType') }),
    telegramParseMode: t.field({
      type: TelegramParseMode,
      description: PARSE_MODE_DESCRIPTION,
      resolve: (c) => telegramParseMode(mediaField(c, 'telegramParseMode')),
    }),
  };
}

export const ImageContent = builder.objectRef<Variant<'image'>>('ImageContent');
ImageContent.implement({
  description: 'One or more images with an optional caption (Bird body `image`). SMS/MMS: up to 10 images.',
  fields: (t) =>
    mediaContentFields(t, {
      images: t.field({
        type: [MessageImage],
        nullable: { list: false, items: false },
        description: 'The images, at least one.',
        resolve: (c) => readField('ImageContent', c.image, 'images') ?? [],
      }),
    }),
});

export const FileContent = builder.objectRef<Variant<'file'>>('FileContent');
FileContent.implement({
  description:
    'One or more files with an optional caption (Bird body `file`): documents, audio, video and stickers.',
  fields: (t) =>
    mediaContentFields(t, {
      files: t.field({
        type: [MessageFile],
        nullable: { list: false, items: false },
        description: 'The files, at least one.',
        resolve: (c) => readField('FileContent', c.file, 'files') ?? [],
      }),
    }),
});

export const GifContent = builder.objectRef<Variant<'gif'>>('GifContent');
GifContent.implement({
  description: 'An animated GIF with an optional caption (Bird body `gif`).',
  fields: (t) => ({
    text: t.string({ description: 'The caption.', resolve: (c) => readField('GifContent', c.gif, 'text') }),
    mediaUrl: t.field({
      type: 'URL',
      description: 'Where the GIF is served. Bird media URLs need the workspace access key to download.',
      nullable: false,
      resolve: (c) => readField('GifContent', c.gif, 'mediaUrl'),
    }),
    downloadUrl: t.field({
      type: 'URL',
      description: DOWNLOAD_URL_DESCRIPTION,
      resolve: (c, _args, ctx) => ctx.mediaLinks.downloadUrl(readField('GifContent', c.gif, 'mediaUrl')),
    }),
    altText: t.string({
      description: 'A text description of the GIF, for accessibility.',
      resolve: (c) => readField('GifContent', c.gif, 'altText'),
    }),
    actions: t.field({
      type: [MessageAction],
      nullable: { list: true, items: false },
      description: ACTIONS_DESCRIPTION,
      resolve: (c) => knownActions(readField('GifContent', c.gif, 'actions')),
    }),
    telegramParseMode: t.field({
      type: TelegramParseMode,
      description: PARSE_MODE_DESCRIPTION,
      resolve: (c) => telegramParseMode(readField('GifContent', c.gif, 'telegramParseMode')),
    }),
  }),
});

export const LocationContent = builder.objectRef<Variant<'location'>>('LocationContent');
LocationContent.implement({
  description: 'A shared location: a point, with an optional name and address (Bird body `location`).',
  fields: (t) => ({
    coordinates: t.field({
      type: GeoCoordinates,
      description: 'Where the location is.',
      nullable: false,
      resolve: (c) => readField('LocationContent', c.location, 'coordinates') ?? {},
    }),
    label: t.string({
      description: 'The name of the place, e.g. "Bird HQ" (Bird `location.label`).',
      resolve: (c) => readField('LocationContent', c.location, 'label'),
    }),
    address: t.string({
      description: 'The address of the place as one line of text (Bird `location.address`).',
      resolve: (c) => readField('LocationContent', c.location, 'address'),
    }),
  }),
});

export const CarouselContent = builder.objectRef<Variant<'carousel'>>('CarouselContent');
CarouselContent.implement({
  description:
    'A horizontally scrolling row of cards (Bird body `carousel`). WhatsApp: 2–10 cards, each with a title, media ' +
    'and exactly one link action.',
  fields: (t) => ({
    text: t.string({
      description: 'Text shown above the cards (at most 1,024 characters).',
      resolve: (c) => readField('CarouselContent', c.carousel, 'text'),
    }),
    items: t.field({
      type: [ContentItem],
      nullable: { list: false, items: false },
      description: `The cards, in display order. ${ITEMS_NULLABILITY}`,
      resolve: (c) => readField('CarouselContent', c.carousel, 'items') ?? [],
    }),
  }),
});

export const ListContent = builder.objectRef<Variant<'list'>>('ListContent');
ListContent.implement({
  description:
    'A list message (Bird body `list`): text with entries or options to pick from. On WhatsApp the rows are reply ' +
    'actions behind a button (`buttonLabel`); Apple Messages for Business uses `items` and `replyMessage`.',
  fields: (t) => ({
    title: t.string({
      description: 'The list title (the header on WhatsApp).',
      resolve: (c) => readField('ListContent', c.list, 'title'),
    }),
    text: t.string({
      description: `The message text shown with the list; always set on a list body. ${TEXT_NULLABILITY}`,
      resolve: (c) => readField('ListContent', c.list, 'text'),
    }),
    altText: t.string({
      description: 'Text shown where the platform cannot display the list.',
      resolve: (c) => readField('ListContent', c.list, 'altText'),
    }),
    items: t.field({
      type: [ContentItem],
      nullable: { list: false, items: false },
      description: `The list entries (Apple Messages for Business); empty when Bird sent none. ${ITEMS_NULLABILITY}`,
      resolve: (c) => readField('ListContent', c.list, 'items') ?? [],
    }),
    actions: t.field({
      type: [MessageAction],
      nullable: { list: true, items: false },
      description: `${ACTIONS_DESCRIPTION} On WhatsApp, the rows of the list.`,
      resolve: (c) => knownActions(readField('ListContent', c.list, 'actions')),
    }),
    buttonLabel: t.string({
      description:
        'The label of the button that opens the list (Bird `metadata.button.label`, at most 20 characters). ' +
        'WhatsApp only.',
      resolve: (c) => readField('ListContent', c.list, 'buttonLabel'),
    }),
    replyMessage: t.field({
      type: ListReplyMessage,
      description:
        'The message shown as the contact\'s reply once they pick an entry (Bird `metadata.replyMessage`). Apple ' +
        'Messages for Business only.',
      resolve: (c) => readField('ListContent', c.list, 'replyMessage'),
    }),
  }),
});

export const SectionContent = builder.objectRef<Variant<'section'>>('SectionContent');
SectionContent.implement({
  description:
    'Several contents sent as one message, in order (Bird body `section`): text, image, file, gif, location, ' +
    'carousel, list or a nested section (a nested section cannot contain another section).',
  fields: (t) => ({
    contents: t.field({
      type: [MessageContent],
      nullable: { list: false, items: false },
      description: 'The parts of the message, in order (Bird `section.items`); empty when Bird sent none.',
      resolve: (c) => readField('SectionContent', c.section, 'contents') ?? [],
    }),
    configurations: t.field({
      type: 'JSONObject',
      description: 'Bird\'s `configurations` string map, passed through; Bird documents no key but `default`.',
      resolve: (c) => record(readField('SectionContent', c.section, 'configurations')),
    }),
  }),
});

export const AuthenticationContent = builder.objectRef<Variant<'authentication'>>('AuthenticationContent');
AuthenticationContent.implement({
  description:
    'A one-time-password message rendered from the platform\'s authentication template (Bird body ' +
    '`authentication`), e.g. a WhatsApp authentication template with a copy-code button.',
  fields: (t) => ({
    otp: t.field({
      type: AuthenticationOtp,
      description: 'How the one-time password is presented.',
      resolve: (c) => readField('AuthenticationContent', c.authentication, 'otp'),
    }),
  }),
});

export const PermissionRequestContent = builder.objectRef<Variant<'action'>>('PermissionRequestContent');
PermissionRequestContent.implement({
  description:
    'A request for the contact\'s permission, e.g. to call them on WhatsApp (Bird body `action` with ' +
    '`type: permission_request`).',
  fields: (t) => ({
    resource: t.field({
      type: PermissionResource,
      description: 'What the contact is asked to allow.',
      resolve: (c) => oneOf(readField('PermissionRequestContent', permissionRequestOf(c), 'resource'), ['call'] as const),
    }),
  }),
});

/**
 * Bird's schema is inconsistent here (bird-api.md §3.4): the body is keyed `action` while the variant's own enum
 * says `permission_request`, so the payload may sit under `action.permission_request` or, on a body typed
 * `permission_request`, directly under `permission_request`. Both are read: this is the object that holds it.
 */
function permissionRequestOf(content: { action?: PermissionRequestBody; [key: string]: unknown }): PermissionRequestBody {
  return record(record(content.action)?.permission_request) ? (content.action as PermissionRequestBody) : content;
}

export const TemplateContent = builder.objectRef<Variant<'template'>>('TemplateContent');
TemplateContent.implement({
  description:
    'A message sent from a template (Bird `template`): a Studio project template, or a platform template such as ' +
    'a WhatsApp message template, with the values that fill it. The rendered text is not part of it.',
  fields: (t) => ({
    name: t.string({ description: 'The platform name of the template.', resolve: (c) => c.template.name }),
    projectId: t.id({
      description: 'The Bird Studio project that holds the template.',
      resolve: (c) => c.template.projectId,
    }),
    version: t.string({
      description: 'The template version: a version id, or `latest`.',
      resolve: (c) => c.template.version,
    }),
    locale: t.string({
      description: 'The BCP 47 locale of the template variant sent, e.g. `en` or `pt-BR`.',
      resolve: (c) => c.template.locale,
    }),
    parameters: t.field({
      type: [TemplateParameterRef],
      nullable: { list: true, items: false },
      description:
        'Typed values for the template variables. Entries that are not `{ type, key }` objects (some clients send ' +
        'bare strings) are left out.',
      resolve: (c) =>
        Array.isArray(c.template.parameters)
          ? c.template.parameters.filter(
              (p): p is TemplateParameter =>
                record(p) !== undefined && typeof p.type === 'string' && typeof p.key === 'string',
            )
          : null,
    }),
    variables: t.field({
      type: [TemplateVariable],
      nullable: { list: true, items: false },
      description: 'Values for the template variables as a legacy string map (Bird `variables`), in Bird\'s order.',
      resolve: (c) => entries(c.template.variables),
    }),
    attachments: t.field({
      type: [MessageAttachment],
      nullable: { list: true, items: false },
      description: 'Files attached to the template send (email templates).',
      resolve: (c) => c.template.attachments as TemplateAttachment[] | null | undefined,
    }),
    utmParameters: t.field({
      type: [UtmParameter],
      nullable: { list: true, items: false },
      description: 'UTM parameters Bird appends to the links of the message (1–8).',
      resolve: (c) => c.template.utmParameters,
    }),
    shortLinks: t.field({
      type: TemplateShortLinks,
      description: 'SMS link shortening for this send.',
      resolve: (c) => c.template.shortLinks,
    }),
    settings: t.field({
      type: 'JSONObject',
      description:
        'Platform-specific send settings as Bird holds them, e.g. `{ "useMmLite": true }` (older docs: ' +
        '`disallowMmLite`) for WhatsApp marketing templates.',
      resolve: (c) => record(c.template.settings),
    }),
  }),
});

export const UnsupportedContent = builder.objectRef<ContentShape>('UnsupportedContent');
UnsupportedContent.implement({
  description:
    'A content kind this schema does not model yet (Bird added a body type). Its raw Bird body is passed through, ' +
    'so clients can still show something.',
  fields: (t) => ({
    type: t.string({
      description: 'Bird\'s body `type`, e.g. a kind introduced after this schema was written.',
      nullable: false,
      resolve: (c) => String((c as { type?: unknown }).type ?? ''),
    }),
    body: t.field({ type: 'JSON', description: 'The Bird body exactly as received.', resolve: (c) => c }),
  }),
});

export const MessageContent = builder.unionType('MessageContent', {
  description:
    'What a message carries: one kind of content per Bird body `type`, or the template it was sent from. Match on ' +
    '`__typename`; `UnsupportedContent` covers kinds added by Bird later.',
  types: [
    TextContent,
    HtmlContent,
    ImageContent,
    FileContent,
    GifContent,
    LocationContent,
    CarouselContent,
    ListContent,
    SectionContent,
    AuthenticationContent,
    PermissionRequestContent,
    TemplateContent,
    UnsupportedContent,
  ],
  resolveType: (content) => {
    switch ((content as { type?: unknown }).type) {
      case 'text':
        return TextContent;
      case 'html':
        return HtmlContent;
      case 'image':
        return ImageContent;
      case 'file':
        return FileContent;
      case 'gif':
        return GifContent;
      case 'location':
        return LocationContent;
      case 'carousel':
        return CarouselContent;
      case 'list':
        return ListContent;
      case 'section':
        return SectionContent;
      case 'authentication':
        return AuthenticationContent;
      case 'action':
      case 'permission_request':
        return PermissionRequestContent;
      case 'template':
        return TemplateContent;
      default:
        return UnsupportedContent;
    }
  },
});
