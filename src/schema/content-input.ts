// The message content inputs of a send, declared: @oneOf body and template inputs, and the shapes resolvers receive.
//
// Conventions in this file:
//
// - Mirror of ./content.ts. An input field sits at the same path, under the same name, as the output field that reads
//   the value back: `ImageContent.images[].mediaUrl` is written as `ImageBodyInput.images[].mediaUrl`,
//   `LocationContent.coordinates.latitude` as `LocationBodyInput.coordinates.latitude`, `SectionContent.contents` as
//   `SectionBodyInput.contents`. Input types are named after their output type plus `Input` (MessageImage →
//   MessageImageInput); body kinds are `<Kind>BodyInput`, after Bird's `body.type`. Bird's one-level `metadata`
//   objects are flattened exactly as on the output (`subject`, `whatsappPreviewUrl`, `buttonLabel`, …): the Bird
//   path of every field is in ./body-fields.ts, which ./content-wire.ts follows to write Bird's JSON.
// - Choices are @oneOf inputs keyed by Bird's own kind names (`body: { image: {...} }`, `actions: [{ link: {...} }]`),
//   so "exactly one kind" is checked by GraphQL validation, and Bird's 422 paths (`body.image.images.0.mediaUrl`,
//   `body.text.actions.0.link.url`) read like our input paths.
// - Required means required by Bird in the same wire object (`text!` on a text body, `mediaUrl!` on an image). What
//   GraphQL types cannot say (non-empty strings, ranges, list sizes, per-platform rules, media URLs Bird can fetch)
//   is checked by validateContent() (./content-validate.ts) before any call.
import { builder } from '../builder.ts';
import { PermissionResource, TelegramParseMode, UtmParameterReference } from './content.ts';

type Types = typeof builder.$inferSchemaTypes;

// ---------------------------------------------------------------------------------------------------------------
// Shared descriptions
// ---------------------------------------------------------------------------------------------------------------

const MEDIA_URL_RULE =
  'A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with ' +
  '`createMediaUpload`); loopback, private and local addresses are refused.';
const ACTIONS_DESCRIPTION =
  'Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform.';
const SUBJECT_DESCRIPTION = 'The email subject, when sent on an email channel (Bird `metadata.subject`).';
const HEADERS_DESCRIPTION = 'Custom email headers (Bird `metadata.headers`); each name at most once.';
const PARSE_MODE_DESCRIPTION = 'How Telegram formats the text (Bird `metadata.telegram.parseMode`). Telegram only.';
const MMS_SUBJECT_DESCRIPTION = 'The MMS subject (Bird `metadata.subject`). MMS only.';
const FALLBACK_TEXT_DESCRIPTION =
  'The text sent instead when the recipient cannot receive MMS (Bird `metadata.fallbackText`). MMS only.';
const DESCRIPTION_LABEL_DESCRIPTION =
  'The secondary line of the row in a WhatsApp list message (Bird `metadata.description.label`), at most 72 ' +
  'characters. WhatsApp only.';

// ---------------------------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------------------------

export const LinkActionInput = builder.inputType('LinkActionInput', {
  description: 'A button or suggestion that opens a URL (Bird action `link`).',
  fields: (t) => ({
    text: t.string({ required: true, description: 'The button label.' }),
    url: t.string({
      required: true,
      description:
        'Where the button leads: an absolute http(s) URL, or a template string such as ' +
        '`https://example.com/{{code}}` that Bird fills in when sending (hence a String, not a URL).',
    }),
  }),
});

export const ReplyActionInput = builder.inputType('ReplyActionInput', {
  description:
    "A quick reply: tapping it sends its text back as the contact's message (Bird action `reply`). In WhatsApp list " +
    'messages it is a row of the list.',
  fields: (t) => ({
    text: t.string({ required: true, description: 'The label shown, and the text sent back when the contact taps it.' }),
    imageUrl: t.field({
      type: 'URL',
      description: `An icon shown with the reply, where the platform supports it. ${MEDIA_URL_RULE}`,
    }),
    descriptionLabel: t.string({ description: DESCRIPTION_LABEL_DESCRIPTION }),
  }),
});

export const LocationRequestActionInput = builder.inputType('LocationRequestActionInput', {
  description: 'A button asking the contact to share their location (Bird action `locationRequest`).',
  fields: (t) => ({
    text: t.string({ description: 'The button label; Bird uses "Send location" when it is not set.' }),
  }),
});

export const BuyActionInput = builder.inputType('BuyActionInput', {
  description: 'A button to buy something for a fixed price (Bird action `buy`).',
  fields: (t) => ({
    text: t.string({ required: true, description: 'The button label.' }),
    amountCents: t.int({
      required: true,
      description: "The price in the currency's minor unit (cents for EUR or USD): 1250 means 12.50. Not negative.",
    }),
    currency: t.string({
      required: true,
      description: 'The ISO 4217 currency code of the price: three letters such as `EUR`.',
    }),
  }),
});

export const PostbackActionInput = builder.inputType('PostbackActionInput', {
  description:
    'A button that, when tapped, reports its payload back to the sender without the contact typing anything (Bird ' +
    'action `postback`).',
  fields: (t) => ({
    text: t.string({ required: true, description: 'The button label.' }),
    payload: t.string({ description: 'The data sent back (in the resulting interaction) when the contact taps the button.' }),
    imageUrl: t.field({
      type: 'URL',
      description: `An icon shown with the button, where the platform supports it. ${MEDIA_URL_RULE}`,
    }),
    descriptionLabel: t.string({ description: DESCRIPTION_LABEL_DESCRIPTION }),
  }),
});

export const MessageActionInput = builder.inputType('MessageActionInput', {
  isOneOf: true,
  description:
    'One interactive element to attach to a message (Bird `Action`): set exactly one field, named after the kind. ' +
    'Read back as a `MessageAction`.',
  fields: (t) => ({
    link: t.field({ type: LinkActionInput, description: 'A button that opens a URL.' }),
    reply: t.field({ type: ReplyActionInput, description: 'A quick reply.' }),
    locationRequest: t.field({
      type: LocationRequestActionInput,
      description: 'A button asking for the contact\'s location; `{}` for Bird\'s default label.',
    }),
    buy: t.field({ type: BuyActionInput, description: 'A button to buy something for a fixed price.' }),
    postback: t.field({ type: PostbackActionInput, description: 'A button that reports a payload back.' }),
  }),
});

// ---------------------------------------------------------------------------------------------------------------
// Nested objects
// ---------------------------------------------------------------------------------------------------------------

export const EmailHeaderInput = builder.inputType('EmailHeaderInput', {
  description: "A custom email header Bird adds to the message (one entry of Bird's `headers` map).",
  fields: (t) => ({
    name: t.string({ required: true, description: 'The header name, e.g. `X-Campaign`; each name at most once.' }),
    value: t.string({ required: true, description: 'The header value, on one line.' }),
  }),
});

export const EmailSenderInput = builder.inputType('EmailSenderInput', {
  description: 'Overrides of the email sender for this message (Bird `metadata.emailFrom`).',
  fields: (t) => ({
    username: t.string({
      description:
        "The local part of the sender address (before the `@`), on the channel's own domain: letters, digits, `_`, " +
        '`.`, `-`, `/` and `+`.',
    }),
    displayName: t.string({ description: 'The sender name shown to the recipient.' }),
  }),
});

export const LineEmojiInput = builder.inputType('LineEmojiInput', {
  description: 'A LINE emoji placed in the text (Bird `metadata.line.emoji.items`). LINE only.',
  fields: (t) => ({
    index: t.int({
      required: true,
      description: 'The 0-based position in the text of the `$` placeholder this emoji replaces.',
    }),
    productId: t.string({ required: true, description: 'The LINE emoji set (product) the emoji belongs to.' }),
    emojiId: t.string({ required: true, description: 'The emoji within its set.' }),
  }),
});

export const MessageAttachmentInput = builder.inputType('MessageAttachmentInput', {
  description:
    'A file attached to an email (text and html bodies) or to a template send: a `mediaUrl` Bird fetches, or (html ' +
    'bodies only) the file inline as base64 `content` with its `contentType`. Exactly one of the two.',
  fields: (t) => ({
    mediaUrl: t.field({ type: 'URL', description: `Where Bird fetches the file from. ${MEDIA_URL_RULE}` }),
    filename: t.string({ required: true, description: 'The file name the recipient sees.' }),
    content: t.string({
      description: 'The file itself, base64-encoded, instead of a `mediaUrl`. Html bodies only; needs `contentType`.',
    }),
    contentType: t.string({ description: 'The MIME type of inline `content`, e.g. `application/pdf`. Html bodies only.' }),
    inline: t.boolean({
      description: 'Whether the file is shown inside the email body (referenced by `contentId`) rather than attached.',
    }),
    contentId: t.string({
      description:
        'The Content-ID that the HTML references (`cid:<contentId>`) to show an inline attachment. Not on template ' +
        'sends.',
    }),
  }),
});

export const MessageImageInput = builder.inputType('MessageImageInput', {
  description: 'An image of an image message.',
  fields: (t) => ({
    mediaUrl: t.field({ type: 'URL', required: true, description: `Where Bird fetches the image. ${MEDIA_URL_RULE}` }),
    altText: t.string({ description: 'A text description of the image, for accessibility.' }),
  }),
});

export const MessageFileInput = builder.inputType('MessageFileInput', {
  description: 'A file of a file message: a document, audio, video or sticker.',
  fields: (t) => ({
    mediaUrl: t.field({ type: 'URL', required: true, description: `Where Bird fetches the file. ${MEDIA_URL_RULE}` }),
    contentType: t.string({ required: true, description: 'The MIME type of the file, e.g. `application/pdf` or `audio/ogg`.' }),
    filename: t.string({ description: 'The file name shown to the recipient.' }),
    altText: t.string({ description: 'A text description of the file, for accessibility.' }),
    isAnimated: t.boolean({ description: 'For stickers: whether the sticker is animated (Bird `metadata.isAnimated`).' }),
  }),
});

export const GeoCoordinatesInput = builder.inputType('GeoCoordinatesInput', {
  description: 'A point on Earth in WGS 84 decimal degrees.',
  fields: (t) => ({
    latitude: t.float({ required: true, description: 'Degrees north (positive) or south (negative), −90 to 90.' }),
    longitude: t.float({ required: true, description: 'Degrees east (positive) or west (negative), −180 to 180.' }),
  }),
});

export const ContentItemInput = builder.inputType('ContentItemInput', {
  description: 'A card of a carousel, or an entry of a list message (Bird `Item`).',
  fields: (t) => ({
    title: t.string({ description: 'The card or entry title. WhatsApp carousels require one on every card.' }),
    description: t.string({ description: 'Text under the title.' }),
    mediaUrl: t.field({
      type: 'URL',
      description:
        'The image or video of the card. WhatsApp carousels require one on every card, all images (JPEG, PNG) or ' +
        `all videos (MP4, 3GPP). ${MEDIA_URL_RULE}`,
    }),
    altText: t.string({ description: 'A text description of the media, for accessibility.' }),
    actions: t.field({
      type: [MessageActionInput],
      description: `${ACTIONS_DESCRIPTION} WhatsApp carousels: exactly one link action per card.`,
    }),
  }),
});

export const ListReplyMessageInput = builder.inputType('ListReplyMessageInput', {
  description:
    "The message shown as the contact's reply once they pick an entry of a list (Bird `metadata.replyMessage`). " +
    'Apple Messages for Business only.',
  fields: (t) => ({
    title: t.string({ description: "The reply's title, at most 512 characters." }),
    text: t.string({ description: "The reply's text, at most 512 characters." }),
  }),
});

export const AuthenticationOtpInput = builder.inputType('AuthenticationOtpInput', {
  description: 'How a one-time-password (authentication template) message is rendered (Bird `authentication.otp`).',
  fields: (t) => ({
    disclaimer: t.boolean({
      required: true,
      description:
        'Whether the platform adds its security disclaimer (WhatsApp: "For your security, do not share this code.").',
    }),
    expirationTime: t.int({
      description:
        "When the code expires, 1–90 (Bird documents seconds; WhatsApp's own setting counts minutes). Unset: no " +
        'expiration notice is shown.',
    }),
    actions: t.field({
      type: [MessageActionInput],
      description: `${ACTIONS_DESCRIPTION} Typically a copy-code or autofill button.`,
    }),
  }),
});

// ---------------------------------------------------------------------------------------------------------------
// Body kinds
// ---------------------------------------------------------------------------------------------------------------

export const TextBodyInput = builder.inputType('TextBodyInput', {
  description:
    'A plain-text message (Bird body `text`), optionally with buttons and, on email, a subject, headers and ' +
    'attachments. Read back as `TextContent`.',
  fields: (t) => ({
    text: t.string({ required: true, description: 'The message text; not empty.' }),
    attachments: t.field({
      type: [MessageAttachmentInput],
      description: 'Files attached to the message (email), each by `mediaUrl`.',
    }),
    actions: t.field({ type: [MessageActionInput], description: ACTIONS_DESCRIPTION }),
    subject: t.string({ description: SUBJECT_DESCRIPTION }),
    headers: t.field({ type: [EmailHeaderInput], description: HEADERS_DESCRIPTION }),
    whatsappPreviewUrl: t.boolean({
      description:
        'Whether WhatsApp shows a preview of the first URL in the text (Bird `metadata.whatsapp.previewUrl`). ' +
        'WhatsApp only.',
    }),
    telegramParseMode: t.field({ type: TelegramParseMode, description: PARSE_MODE_DESCRIPTION }),
    appleSummaryText: t.string({
      description:
        'The summary shown in notifications and the conversation list (Bird `metadata.apple.summaryText`). Apple ' +
        'Messages for Business only.',
    }),
    lineEmojis: t.field({
      type: [LineEmojiInput],
      description: 'LINE emojis replacing `$` placeholders in the text (Bird `metadata.line.emoji.items`). LINE only.',
    }),
  }),
});

export const HtmlBodyInput = builder.inputType('HtmlBodyInput', {
  description:
    'An email with an HTML part, a plain-text part or both (Bird body `html`); at least one of `text` and `html`. ' +
    'Read back as `HtmlContent`.',
  fields: (t) => ({
    text: t.string({ description: 'The plain-text part of the email; not empty when set.' }),
    html: t.string({ description: 'The HTML part of the email; not empty when set.' }),
    attachments: t.field({
      type: [MessageAttachmentInput],
      description: 'Files attached to or embedded in the email, by `mediaUrl` or as inline base64 `content`.',
    }),
    actions: t.field({ type: [MessageActionInput], description: ACTIONS_DESCRIPTION }),
    subject: t.string({ description: 'The email subject (Bird `metadata.subject`).' }),
    emailFrom: t.field({
      type: EmailSenderInput,
      description: 'Overrides of the sender username and display name for this email (Bird `metadata.emailFrom`).',
    }),
    headers: t.field({ type: [EmailHeaderInput], description: HEADERS_DESCRIPTION }),
    openTracking: t.boolean({ description: 'Whether Bird tracks opens of this email (Bird `metadata.openTracking`).' }),
    initialOpenTracking: t.boolean({
      description:
        'Whether Bird places its open-tracking pixel at the top of the email as well as at the bottom (Bird ' +
        '`metadata.initialOpenTracking`), so opens of clipped emails count.',
    }),
    clickTracking: t.boolean({
      description: 'Whether Bird rewrites the links of this email to track clicks (Bird `metadata.clickTracking`).',
    }),
  }),
});

/** The fields of ImageBodyInput and FileBodyInput: caption, the media list, actions and Bird's `MediaMetadata`. */
const mediaBodyFields = <L extends object>(t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>, media: L) => ({
  text: t.string({ description: 'The caption.' }),
  ...media,
  actions: t.field({ type: [MessageActionInput], description: ACTIONS_DESCRIPTION }),
  subject: t.string({ description: MMS_SUBJECT_DESCRIPTION }),
  fallbackText: t.string({ description: FALLBACK_TEXT_DESCRIPTION }),
  telegramParseMode: t.field({ type: TelegramParseMode, description: PARSE_MODE_DESCRIPTION }),
});

export const ImageBodyInput = builder.inputType('ImageBodyInput', {
  description:
    'One or more images with an optional caption (Bird body `image`). SMS/MMS: up to 10 images. Read back as ' +
    '`ImageContent`.',
  fields: (t) =>
    mediaBodyFields(t, {
      images: t.field({ type: [MessageImageInput], required: true, description: 'The images, at least one.' }),
    }),
});

export const FileBodyInput = builder.inputType('FileBodyInput', {
  description:
    'One or more files with an optional caption (Bird body `file`): documents, audio, video and stickers. SMS/MMS: ' +
    'up to 10 files. Read back as `FileContent`.',
  fields: (t) =>
    mediaBodyFields(t, {
      files: t.field({ type: [MessageFileInput], required: true, description: 'The files, at least one.' }),
    }),
});

export const GifBodyInput = builder.inputType('GifBodyInput', {
  description: 'An animated GIF with an optional caption (Bird body `gif`). Read back as `GifContent`.',
  fields: (t) => ({
    text: t.string({ description: 'The caption.' }),
    mediaUrl: t.field({ type: 'URL', required: true, description: `Where Bird fetches the GIF. ${MEDIA_URL_RULE}` }),
    altText: t.string({ description: 'A text description of the GIF, for accessibility.' }),
    actions: t.field({ type: [MessageActionInput], description: ACTIONS_DESCRIPTION }),
    telegramParseMode: t.field({ type: TelegramParseMode, description: PARSE_MODE_DESCRIPTION }),
  }),
});

export const LocationBodyInput = builder.inputType('LocationBodyInput', {
  description:
    'A shared location: a point, with an optional name and address (Bird body `location`). Read back as ' +
    '`LocationContent`.',
  fields: (t) => ({
    coordinates: t.field({ type: GeoCoordinatesInput, required: true, description: 'Where the location is.' }),
    label: t.string({ description: 'The name of the place, e.g. "Bird HQ" (Bird `location.label`).' }),
    address: t.string({ description: 'The address of the place as one line of text (Bird `location.address`).' }),
  }),
});

export const CarouselBodyInput = builder.inputType('CarouselBodyInput', {
  description:
    'A horizontally scrolling row of 1–10 cards (Bird body `carousel`). WhatsApp: 2–10 cards, each with a title, ' +
    'media and exactly one link action. Read back as `CarouselContent`.',
  fields: (t) => ({
    text: t.string({ description: 'Text shown above the cards, at most 1,024 characters.' }),
    items: t.field({ type: [ContentItemInput], required: true, description: 'The cards, in display order.' }),
  }),
});

export const ListBodyInput = builder.inputType('ListBodyInput', {
  description:
    'A list message (Bird body `list`): text with entries or options to pick from. On WhatsApp the rows are reply ' +
    'actions behind a button (`buttonLabel`); Apple Messages for Business uses `items` and `replyMessage`. Read back ' +
    'as `ListContent`.',
  fields: (t) => ({
    title: t.string({ description: 'The list title (the header on WhatsApp).' }),
    text: t.string({ required: true, description: 'The message text shown with the list.' }),
    altText: t.string({ description: 'Text shown where the platform cannot display the list.' }),
    items: t.field({ type: [ContentItemInput], description: 'The list entries (Apple Messages for Business).' }),
    actions: t.field({ type: [MessageActionInput], description: `${ACTIONS_DESCRIPTION} On WhatsApp, the rows of the list.` }),
    buttonLabel: t.string({
      description:
        'The label of the button that opens the list (Bird `metadata.button.label`), at most 20 characters. ' +
        'WhatsApp only.',
    }),
    replyMessage: t.field({
      type: ListReplyMessageInput,
      description:
        "The message shown as the contact's reply once they pick an entry (Bird `metadata.replyMessage`). Apple " +
        'Messages for Business only.',
    }),
  }),
});

export const SectionItemInput = builder.inputType('SectionItemInput', {
  isOneOf: true,
  description:
    'One part of a section message: set exactly one field, named after the body kind. A part cannot itself be a ' +
    'section.',
  fields: (t) => ({
    text: t.field({ type: TextBodyInput, description: 'A text part.' }),
    image: t.field({ type: ImageBodyInput, description: 'An image part.' }),
    file: t.field({ type: FileBodyInput, description: 'A file part.' }),
    gif: t.field({ type: GifBodyInput, description: 'A GIF part.' }),
    location: t.field({ type: LocationBodyInput, description: 'A location part.' }),
    carousel: t.field({ type: CarouselBodyInput, description: 'A carousel part.' }),
    list: t.field({ type: ListBodyInput, description: 'A list part.' }),
  }),
});

export const SectionBodyInput = builder.inputType('SectionBodyInput', {
  description:
    'Several contents sent as one message, in order (Bird body `section`). Read back as `SectionContent`.',
  fields: (t) => ({
    contents: t.field({
      type: [SectionItemInput],
      required: true,
      description: 'The parts of the message, in order, at least one (Bird `section.items`).',
    }),
    configurations: t.field({
      type: 'JSONObject',
      description: "Bird's `configurations` map, passed through; every value a string. Bird documents no key but `default`.",
    }),
  }),
});

export const AuthenticationBodyInput = builder.inputType('AuthenticationBodyInput', {
  description:
    "A one-time-password message rendered from the platform's authentication template (Bird body " +
    '`authentication`), e.g. a WhatsApp authentication template with a copy-code button. Read back as ' +
    '`AuthenticationContent`.',
  fields: (t) => ({
    otp: t.field({ type: AuthenticationOtpInput, required: true, description: 'How the one-time password is presented.' }),
  }),
});

export const PermissionRequestBodyInput = builder.inputType('PermissionRequestBodyInput', {
  description:
    "A request for the contact's permission, e.g. to call them on WhatsApp (Bird body `action` with " +
    '`type: permission_request`). Read back as `PermissionRequestContent`.',
  fields: (t) => ({
    resource: t.field({
      type: PermissionResource,
      required: true,
      defaultValue: 'call',
      description: 'What the contact is asked to allow.',
    }),
  }),
});

export const MessageBodyInput = builder.inputType('MessageBodyInput', {
  isOneOf: true,
  description:
    "A message body (Bird `body`): set exactly one field, named after Bird's body type. Read back as the matching " +
    '`MessageContent` member.',
  fields: (t) => ({
    text: t.field({ type: TextBodyInput, description: 'A plain-text message.' }),
    html: t.field({ type: HtmlBodyInput, description: 'An email with HTML and/or plain-text parts.' }),
    image: t.field({ type: ImageBodyInput, description: 'One or more images.' }),
    file: t.field({ type: FileBodyInput, description: 'One or more files.' }),
    gif: t.field({ type: GifBodyInput, description: 'An animated GIF.' }),
    location: t.field({ type: LocationBodyInput, description: 'A shared location.' }),
    carousel: t.field({ type: CarouselBodyInput, description: 'A row of cards.' }),
    list: t.field({ type: ListBodyInput, description: 'A list message.' }),
    section: t.field({ type: SectionBodyInput, description: 'Several contents sent as one message.' }),
    authentication: t.field({ type: AuthenticationBodyInput, description: 'A one-time-password message.' }),
    permissionRequest: t.field({ type: PermissionRequestBodyInput, description: "A request for the contact's permission." }),
  }),
});

// ---------------------------------------------------------------------------------------------------------------
// Template
// ---------------------------------------------------------------------------------------------------------------

export const TemplateParameterInput = builder.inputType('TemplateParameterInput', {
  description:
    'A typed value for a template variable (Bird `TemplateParameter`): `key` names the variable and `type` says how ' +
    '`value` is shaped.',
  fields: (t) => ({
    type: t.string({
      required: true,
      defaultValue: 'string',
      description:
        'How `value` is shaped: `string` (the default), `number`, `boolean`, `object`, or a structured kind Bird ' +
        'renders as a platform element: `sectionList`, `timeslotList`, `productSections`, `productList`, ' +
        '`shippingMethodList`, `lineItemList`, `whatsappProductSections`, `whatsappProductItems`. A String because ' +
        'Bird adds kinds.',
    }),
    key: t.string({ required: true, description: 'The template variable this parameter fills; not empty.' }),
    value: t.field({
      type: 'JSON',
      description:
        'The value: a string, number or boolean for those kinds, an object for the others (e.g. ' +
        '`{ "sections": [...] }` for `sectionList`, `{ "timeslots": [...] }` for `timeslotList`).',
    }),
  }),
});

export const TemplateVariableInput = builder.inputType('TemplateVariableInput', {
  description: "One entry of a template send's legacy `variables` map; prefer `parameters`.",
  fields: (t) => ({
    key: t.string({
      required: true,
      description: 'The variable name as used in the template; `default` is the fallback value. Each key at most once.',
    }),
    value: t.string({ required: true, description: 'The value Bird substitutes.' }),
  }),
});

export const UtmParameterInput = builder.inputType('UtmParameterInput', {
  description:
    'A UTM query parameter Bird appends to the links of a template send: set exactly one of a static `value` and a ' +
    'dynamic `reference`.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'The query-string name, e.g. `utm_source` (1–20 characters).' }),
    value: t.string({ description: 'The static value (1–100 characters).' }),
    reference: t.field({ type: UtmParameterReference, description: 'The dynamic value Bird fills in at send time.' }),
  }),
});

export const TemplateShortLinksInput = builder.inputType('TemplateShortLinksInput', {
  description: 'SMS link shortening for a template send (Bird `template.shortLinks`).',
  fields: (t) => ({
    enabled: t.boolean({ description: 'Whether Bird shortens the links of the SMS.' }),
    domain: t.string({
      description: "The domain of the short links; `default` is the workspace's default link-shortening domain.",
    }),
  }),
});

export const TemplateInput = builder.inputType('TemplateInput', {
  description:
    'A send from a template (Bird `template`): a platform template by `name` (e.g. a WhatsApp message template) or ' +
    'a Bird Studio template by `projectId`, with the values that fill it. Read back as `TemplateContent`.',
  fields: (t) => ({
    name: t.string({ description: 'The platform name of the template. Give `name`, `projectId` or both.' }),
    projectId: t.field({ type: 'UUID', description: 'The Bird Studio project that holds the template.' }),
    version: t.string({ description: 'The template version: a version UUID, or `latest`.' }),
    locale: t.string({ description: 'The BCP 47 locale of the template variant to send, e.g. `en` or `pt-BR`.' }),
    parameters: t.field({ type: [TemplateParameterInput], description: 'Typed values for the template variables.' }),
    variables: t.field({
      type: [TemplateVariableInput],
      description: 'Values for the template variables as a legacy string map (Bird `variables`).',
    }),
    attachments: t.field({
      type: [MessageAttachmentInput],
      description: 'Files attached to the send (email templates), each by `mediaUrl`.',
    }),
    utmParameters: t.field({
      type: [UtmParameterInput],
      description: 'UTM parameters Bird appends to the links of the message (1–8).',
    }),
    shortLinks: t.field({ type: TemplateShortLinksInput, description: 'SMS link shortening for this send.' }),
    settings: t.field({
      type: 'JSONObject',
      description:
        'Platform-specific send settings, passed to Bird as given, e.g. `{ "disallowMmLite": true }` for WhatsApp ' +
        'marketing templates.',
    }),
  }),
});

// ---------------------------------------------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------------------------------------------

export const MessageContentInput = builder.inputType('MessageContentInput', {
  isOneOf: true,
  description:
    'What a message carries: set exactly one of `body` (a normal message) and `template` (a template send, e.g. ' +
    'WhatsApp outside the 24-hour service window). Read back as `MessageContent`.',
  fields: (t) => ({
    body: t.field({ type: MessageBodyInput, description: 'A message body of one kind.' }),
    template: t.field({ type: TemplateInput, description: 'A template and the values that fill it.' }),
  }),
});

/** The content input as resolvers receive it (URL scalars are WHATWG `URL` objects). */
export type MessageContentInputShape = typeof MessageContentInput.$inferInput;
export type MessageBodyInputShape = typeof MessageBodyInput.$inferInput;
export type TemplateInputShape = typeof TemplateInput.$inferInput;
export type MessageActionInputShape = typeof MessageActionInput.$inferInput;

type TextShape = typeof TextBodyInput.$inferInput;
type HtmlShape = typeof HtmlBodyInput.$inferInput;
type ImageShape = typeof ImageBodyInput.$inferInput;
type FileShape = typeof FileBodyInput.$inferInput;
type GifShape = typeof GifBodyInput.$inferInput;
type LocationShape = typeof LocationBodyInput.$inferInput;
export type CarouselShape = typeof CarouselBodyInput.$inferInput;
type ListShape = typeof ListBodyInput.$inferInput;
type SectionShape = typeof SectionBodyInput.$inferInput;
type AuthenticationShape = typeof AuthenticationBodyInput.$inferInput;
type PermissionRequestShape = typeof PermissionRequestBodyInput.$inferInput;
export type AttachmentShape = typeof MessageAttachmentInput.$inferInput;
export type ItemShape = typeof ContentItemInput.$inferInput;
export type HeaderShape = typeof EmailHeaderInput.$inferInput;

/**
 * Every body kind as an optional field: both @oneOf body inputs (MessageBodyInput, and SectionItemInput without
 * `section` and the kinds a section part cannot be) are assignable to it, so one validator serves both.
 */
export interface BodyKinds {
  text?: TextShape | null;
  html?: HtmlShape | null;
  image?: ImageShape | null;
  file?: FileShape | null;
  gif?: GifShape | null;
  location?: LocationShape | null;
  carousel?: CarouselShape | null;
  list?: ListShape | null;
  section?: SectionShape | null;
  authentication?: AuthenticationShape | null;
  permissionRequest?: PermissionRequestShape | null;
}

export interface ActionKinds {
  link?: typeof LinkActionInput.$inferInput | null;
  reply?: typeof ReplyActionInput.$inferInput | null;
  locationRequest?: typeof LocationRequestActionInput.$inferInput | null;
  buy?: typeof BuyActionInput.$inferInput | null;
  postback?: typeof PostbackActionInput.$inferInput | null;
}
