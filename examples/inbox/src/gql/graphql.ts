/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A one-time-password message rendered from the platform's authentication template (Bird body `authentication`), e.g. a WhatsApp authentication template with a copy-code button. Read back as `AuthenticationContent`. */
export type AuthenticationBodyInput = {
  /** How the one-time password is presented. */
  otp: AuthenticationOtpInput;
};

/** How a one-time-password (authentication template) message is rendered (Bird `authentication.otp`). */
export type AuthenticationOtpInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. Typically a copy-code or autofill button. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** Whether the platform adds its security disclaimer (WhatsApp: "For your security, do not share this code."). */
  disclaimer: boolean;
  /** When the code expires, 1–90 (Bird documents seconds; WhatsApp's own setting counts minutes). Unset: no expiration notice is shown. */
  expirationTime?: number | null | undefined;
};

/** A button to buy something for a fixed price (Bird action `buy`). */
export type BuyActionInput = {
  /** The price in the currency's minor unit (cents for EUR or USD): 1250 means 12.50. Not negative. */
  amountCents: number;
  /** The ISO 4217 currency code of the price: three letters such as `EUR`. */
  currency: string;
  /** The button label. */
  text: string;
};

/** A horizontally scrolling row of 1–10 cards (Bird body `carousel`). WhatsApp: 2–10 cards, each with a title, media and exactly one link action. Read back as `CarouselContent`. */
export type CarouselBodyInput = {
  /** The cards, in display order. */
  items: Array<ContentItemInput>;
  /** Text shown above the cards, at most 1,024 characters. */
  text?: string | null | undefined;
};

/** A channel's lifecycle state in Bird. */
export type ChannelStatus =
  /** Ready to send and receive. */
  | 'ACTIVE'
  /** Deleted. */
  | 'DELETED'
  /** Setting up failed. */
  | 'FAILED'
  /** Switched off; sends are refused. */
  | 'INACTIVE'
  /** Created, waiting for approval or activation. */
  | 'PENDING'
  /** Being set up with the platform. */
  | 'SETTING_UP'
  /** Working, with a problem that needs attention. */
  | 'WARNING';

/** A card of a carousel, or an entry of a list message (Bird `Item`). */
export type ContentItemInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. WhatsApp carousels: exactly one link action per card. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** A text description of the media, for accessibility. */
  altText?: string | null | undefined;
  /** Text under the title. */
  description?: string | null | undefined;
  /** The image or video of the card. WhatsApp carousels require one on every card, all images (JPEG, PNG) or all videos (MP4, 3GPP). A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with `createMediaUpload`); loopback, private and local addresses are refused. */
  mediaUrl?: string | null | undefined;
  /** The card or entry title. WhatsApp carousels require one on every card. */
  title?: string | null | undefined;
};

/** A custom email header Bird adds to the message (one entry of Bird's `headers` map). */
export type EmailHeaderInput = {
  /** The header name, e.g. `X-Campaign`; each name at most once. */
  name: string;
  /** The header value, on one line. */
  value: string;
};

/** Overrides of the email sender for this message (Bird `metadata.emailFrom`). */
export type EmailSenderInput = {
  /** The sender name shown to the recipient. */
  displayName?: string | null | undefined;
  /** The local part of the sender address (before the `@`), on the channel's own domain: letters, digits, `_`, `.`, `-`, `/` and `+`. */
  username?: string | null | undefined;
};

/** One or more files with an optional caption (Bird body `file`): documents, audio, video and stickers. SMS/MMS: up to 10 files. Read back as `FileContent`. */
export type FileBodyInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** The text sent instead when the recipient cannot receive MMS (Bird `metadata.fallbackText`). MMS only. */
  fallbackText?: string | null | undefined;
  /** The files, at least one. */
  files: Array<MessageFileInput>;
  /** The MMS subject (Bird `metadata.subject`). MMS only. */
  subject?: string | null | undefined;
  /** How Telegram formats the text (Bird `metadata.telegram.parseMode`). Telegram only. */
  telegramParseMode?: TelegramParseMode | null | undefined;
  /** The caption. */
  text?: string | null | undefined;
};

/** A point on Earth in WGS 84 decimal degrees. */
export type GeoCoordinatesInput = {
  /** Degrees north (positive) or south (negative), −90 to 90. */
  latitude: number;
  /** Degrees east (positive) or west (negative), −180 to 180. */
  longitude: number;
};

/** An animated GIF with an optional caption (Bird body `gif`). Read back as `GifContent`. */
export type GifBodyInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** A text description of the GIF, for accessibility. */
  altText?: string | null | undefined;
  /** Where Bird fetches the GIF. A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with `createMediaUpload`); loopback, private and local addresses are refused. */
  mediaUrl: string;
  /** How Telegram formats the text (Bird `metadata.telegram.parseMode`). Telegram only. */
  telegramParseMode?: TelegramParseMode | null | undefined;
  /** The caption. */
  text?: string | null | undefined;
};

/** An email with an HTML part, a plain-text part or both (Bird body `html`); at least one of `text` and `html`. Read back as `HtmlContent`. */
export type HtmlBodyInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** Files attached to or embedded in the email, by `mediaUrl` or as inline base64 `content`. */
  attachments?: Array<MessageAttachmentInput> | null | undefined;
  /** Whether Bird rewrites the links of this email to track clicks (Bird `metadata.clickTracking`). */
  clickTracking?: boolean | null | undefined;
  /** Overrides of the sender username and display name for this email (Bird `metadata.emailFrom`). */
  emailFrom?: EmailSenderInput | null | undefined;
  /** Custom email headers (Bird `metadata.headers`); each name at most once. */
  headers?: Array<EmailHeaderInput> | null | undefined;
  /** The HTML part of the email; not empty when set. */
  html?: string | null | undefined;
  /** Whether Bird places its open-tracking pixel at the top of the email as well as at the bottom (Bird `metadata.initialOpenTracking`), so opens of clipped emails count. */
  initialOpenTracking?: boolean | null | undefined;
  /** Whether Bird tracks opens of this email (Bird `metadata.openTracking`). */
  openTracking?: boolean | null | undefined;
  /** The email subject (Bird `metadata.subject`). */
  subject?: string | null | undefined;
  /** The plain-text part of the email; not empty when set. */
  text?: string | null | undefined;
};

/** One or more images with an optional caption (Bird body `image`). SMS/MMS: up to 10 images. Read back as `ImageContent`. */
export type ImageBodyInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** The text sent instead when the recipient cannot receive MMS (Bird `metadata.fallbackText`). MMS only. */
  fallbackText?: string | null | undefined;
  /** The images, at least one. */
  images: Array<MessageImageInput>;
  /** The MMS subject (Bird `metadata.subject`). MMS only. */
  subject?: string | null | undefined;
  /** How Telegram formats the text (Bird `metadata.telegram.parseMode`). Telegram only. */
  telegramParseMode?: TelegramParseMode | null | undefined;
  /** The caption. */
  text?: string | null | undefined;
};

/** What a recipient did with a message. */
export type InteractionType =
  /** A link or button in the message was clicked. */
  | 'CLICKED'
  /** A conversion was attributed to the message. */
  | 'CONVERSION'
  /** The recipient asked for the message to be deleted. */
  | 'DELETE_REQUEST'
  /** The interaction could not be classified. */
  | 'INVALID'
  /** The message was opened (email open tracking). */
  | 'OPENED'
  /** The recipient reacted to the message (e.g. an emoji). */
  | 'REACTION'
  /** The message was read (read receipts). */
  | 'READ'
  /** The recipient reported the message as spam. */
  | 'REPORTED_AS_SPAM'
  /** The recipient gave consent to a subscription. */
  | 'SUBSCRIBE_CONSENT'
  /** The recipient asked to subscribe. */
  | 'SUBSCRIBE_REQUEST'
  /** The recipient asked to unsubscribe. */
  | 'UNSUBSCRIBE_REQUEST';

/** A LINE emoji placed in the text (Bird `metadata.line.emoji.items`). LINE only. */
export type LineEmojiInput = {
  /** The emoji within its set. */
  emojiId: string;
  /** The 0-based position in the text of the `$` placeholder this emoji replaces. */
  index: number;
  /** The LINE emoji set (product) the emoji belongs to. */
  productId: string;
};

/** A button or suggestion that opens a URL (Bird action `link`). */
export type LinkActionInput = {
  /** The button label. */
  text: string;
  /** Where the button leads: an absolute http(s) URL, or a template string such as `https://example.com/{{code}}` that Bird fills in when sending (hence a String, not a URL). */
  url: string;
};

/** A list message (Bird body `list`): text with entries or options to pick from. On WhatsApp the rows are reply actions behind a button (`buttonLabel`); Apple Messages for Business uses `items` and `replyMessage`. Read back as `ListContent`. */
export type ListBodyInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. On WhatsApp, the rows of the list. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** Text shown where the platform cannot display the list. */
  altText?: string | null | undefined;
  /** The label of the button that opens the list (Bird `metadata.button.label`), at most 20 characters. WhatsApp only. */
  buttonLabel?: string | null | undefined;
  /** The list entries (Apple Messages for Business). */
  items?: Array<ContentItemInput> | null | undefined;
  /** The message shown as the contact's reply once they pick an entry (Bird `metadata.replyMessage`). Apple Messages for Business only. */
  replyMessage?: ListReplyMessageInput | null | undefined;
  /** The message text shown with the list. */
  text: string;
  /** The list title (the header on WhatsApp). */
  title?: string | null | undefined;
};

/** The message shown as the contact's reply once they pick an entry of a list (Bird `metadata.replyMessage`). Apple Messages for Business only. */
export type ListReplyMessageInput = {
  /** The reply's text, at most 512 characters. */
  text?: string | null | undefined;
  /** The reply's title, at most 512 characters. */
  title?: string | null | undefined;
};

/** A shared location: a point, with an optional name and address (Bird body `location`). Read back as `LocationContent`. */
export type LocationBodyInput = {
  /** The address of the place as one line of text (Bird `location.address`). */
  address?: string | null | undefined;
  /** Where the location is. */
  coordinates: GeoCoordinatesInput;
  /** The name of the place, e.g. "Bird HQ" (Bird `location.label`). */
  label?: string | null | undefined;
};

/** A button asking the contact to share their location (Bird action `locationRequest`). */
export type LocationRequestActionInput = {
  /** The button label; Bird uses "Send location" when it is not set. */
  text?: string | null | undefined;
};

/** One interactive element to attach to a message (Bird `Action`): set exactly one field, named after the kind. Read back as a `MessageAction`. */
export type MessageActionInput = {
  /** A button to buy something for a fixed price. */
  buy?: BuyActionInput | null | undefined;
  /** A button that opens a URL. */
  link?: LinkActionInput | null | undefined;
  /** A button asking for the contact's location; `{}` for Bird's default label. */
  locationRequest?: LocationRequestActionInput | null | undefined;
  /** A button that reports a payload back. */
  postback?: PostbackActionInput | null | undefined;
  /** A quick reply. */
  reply?: ReplyActionInput | null | undefined;
};

/** A file attached to an email (text and html bodies) or to a template send: a `mediaUrl` Bird fetches, or (html bodies only) the file inline as base64 `content` with its `contentType`. Exactly one of the two. */
export type MessageAttachmentInput = {
  /** The file itself, base64-encoded, instead of a `mediaUrl`. Html bodies only; needs `contentType`. */
  content?: string | null | undefined;
  /** The Content-ID that the HTML references (`cid:<contentId>`) to show an inline attachment. Not on template sends. */
  contentId?: string | null | undefined;
  /** The MIME type of inline `content`, e.g. `application/pdf`. Html bodies only. */
  contentType?: string | null | undefined;
  /** The file name the recipient sees. */
  filename: string;
  /** Whether the file is shown inside the email body (referenced by `contentId`) rather than attached. */
  inline?: boolean | null | undefined;
  /** Where Bird fetches the file from. A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with `createMediaUpload`); loopback, private and local addresses are refused. */
  mediaUrl?: string | null | undefined;
};

/** A message body (Bird `body`): set exactly one field, named after Bird's body type. Read back as the matching `MessageContent` member. */
export type MessageBodyInput = {
  /** A one-time-password message. */
  authentication?: AuthenticationBodyInput | null | undefined;
  /** A row of cards. */
  carousel?: CarouselBodyInput | null | undefined;
  /** One or more files. */
  file?: FileBodyInput | null | undefined;
  /** An animated GIF. */
  gif?: GifBodyInput | null | undefined;
  /** An email with HTML and/or plain-text parts. */
  html?: HtmlBodyInput | null | undefined;
  /** One or more images. */
  image?: ImageBodyInput | null | undefined;
  /** A list message. */
  list?: ListBodyInput | null | undefined;
  /** A shared location. */
  location?: LocationBodyInput | null | undefined;
  /** A request for the contact's permission. */
  permissionRequest?: PermissionRequestBodyInput | null | undefined;
  /** Several contents sent as one message. */
  section?: SectionBodyInput | null | undefined;
  /** A plain-text message. */
  text?: TextBodyInput | null | undefined;
};

/** What a message carries: set exactly one of `body` (a normal message) and `template` (a template send, e.g. WhatsApp outside the 24-hour service window). Read back as `MessageContent`. */
export type MessageContentInput = {
  /** A message body of one kind. */
  body?: MessageBodyInput | null | undefined;
  /** A template and the values that fill it. */
  template?: TemplateInput | null | undefined;
};

/** Whether a message was sent by the workspace or received by it. */
export type MessageDirection =
  /** Received from a contact. */
  | 'INCOMING'
  /** Sent by the workspace. */
  | 'OUTGOING';

/** A file of a file message: a document, audio, video or sticker. */
export type MessageFileInput = {
  /** A text description of the file, for accessibility. */
  altText?: string | null | undefined;
  /** The MIME type of the file, e.g. `application/pdf` or `audio/ogg`. */
  contentType: string;
  /** The file name shown to the recipient. */
  filename?: string | null | undefined;
  /** For stickers: whether the sticker is animated (Bird `metadata.isAnimated`). */
  isAnimated?: boolean | null | undefined;
  /** Where Bird fetches the file. A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with `createMediaUpload`); loopback, private and local addresses are refused. */
  mediaUrl: string;
};

/** An image of an image message. */
export type MessageImageInput = {
  /** A text description of the image, for accessibility. */
  altText?: string | null | undefined;
  /** Where Bird fetches the image. A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with `createMediaUpload`); loopback, private and local addresses are refused. */
  mediaUrl: string;
};

/** Extra information sent with the message. */
export type MessageMetaInput = {
  /** The email From: for this message. */
  emailFrom?: EmailSenderInput | null | undefined;
  /** Extra email headers. */
  emailHeaders?: Array<EmailHeaderInput> | null | undefined;
  /** The email subject. */
  emailSubject?: string | null | undefined;
  /** Free-form information stored with the message (e.g. `{"useCase": "marketing"}`). */
  extraInformation?: Record<string, unknown> | null | undefined;
};

/** Where a message is in Bird's delivery lifecycle. */
export type MessageStatus =
  /** Accepted by Bird for processing. */
  | 'ACCEPTED'
  /** Deleted. */
  | 'DELETED'
  /** Delivered to the recipient, or, for an incoming message, delivered to Bird. */
  | 'DELIVERED'
  /** Handed to the platform but not delivered; see `failure` and `details`. */
  | 'DELIVERY_FAILED'
  /** Being processed by Bird. */
  | 'PROCESSING'
  /** Refused by Bird, e.g. an invalid message inside a batch. */
  | 'REJECTED'
  /** Waiting for its `scheduledFor` time. */
  | 'SCHEDULED'
  /** Could not be handed to the platform; see `failure` and `reason`. */
  | 'SENDING_FAILED'
  /** Handed to the platform (the carrier, WhatsApp, the email provider, …). */
  | 'SENT'
  /** Skipped (for example by quiet hours or frequency capping). */
  | 'SKIPPED';

/** A request for the contact's permission, e.g. to call them on WhatsApp (Bird body `action` with `type: permission_request`). Read back as `PermissionRequestContent`. */
export type PermissionRequestBodyInput = {
  /** What the contact is asked to allow. */
  resource?: PermissionResource;
};

/** What a permission request asks the contact to allow (Bird `permission_request.resource`). */
export type PermissionResource =
  /** Permission to call the contact (`call`). */
  | 'CALL';

/** The messaging platform a channel sends on. */
export type Platform =
  /** Apple Messages for Business. */
  | 'APPLE_MESSAGES'
  /** Email. */
  | 'EMAIL'
  /** Facebook Messenger. */
  | 'FACEBOOK'
  /** Instagram direct messages. */
  | 'INSTAGRAM'
  /** LINE. */
  | 'LINE'
  /** LinkedIn. */
  | 'LINKEDIN'
  /** A platform this schema does not name yet; see `platformId`. */
  | 'OTHER'
  /** RCS business messaging. */
  | 'RCS'
  /** SMS (and MMS). */
  | 'SMS'
  /** Telegram. */
  | 'TELEGRAM'
  /** TikTok. */
  | 'TIKTOK'
  /** Viber. */
  | 'VIBER'
  /** WhatsApp Business. */
  | 'WHATSAPP';

/** A button that, when tapped, reports its payload back to the sender without the contact typing anything (Bird action `postback`). */
export type PostbackActionInput = {
  /** The secondary line of the row in a WhatsApp list message (Bird `metadata.description.label`), at most 72 characters. WhatsApp only. */
  descriptionLabel?: string | null | undefined;
  /** An icon shown with the button, where the platform supports it. A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with `createMediaUpload`); loopback, private and local addresses are refused. */
  imageUrl?: string | null | undefined;
  /** The data sent back (in the resulting interaction) when the contact taps the button. */
  payload?: string | null | undefined;
  /** The button label. */
  text: string;
};

/** One receiver: an existing contact by id, or an identifier (Bird creates the contact if it is new). On SMS, WhatsApp, RCS and Viber an identifier is a phone number in E.164 form (`+31612345678`); on email, an email address. */
export type ReceiverInput = {
  /** An existing Bird contact. */
  contactId?: string | null | undefined;
  /** The identifier kind, e.g. `phonenumber` or `emailaddress`; Bird infers it from the channel when omitted. It must match the channel: `phonenumber` on phone platforms, `emailaddress` on email. */
  identifierKey?: string | null | undefined;
  /** The identifier, e.g. `+31612345678` (E.164: `+`, country code, number, no spaces) or `ada@example.com`. */
  identifierValue?: string | null | undefined;
  /** Email only: to (default), cc or bcc. */
  type?: RecipientType | null | undefined;
};

/** How an email receiver is addressed. */
export type RecipientType =
  /** A blind carbon-copy receiver. */
  | 'BCC'
  /** A carbon-copy receiver. */
  | 'CC'
  /** A primary receiver. */
  | 'TO';

/** A quick reply: tapping it sends its text back as the contact's message (Bird action `reply`). In WhatsApp list messages it is a row of the list. */
export type ReplyActionInput = {
  /** The secondary line of the row in a WhatsApp list message (Bird `metadata.description.label`), at most 72 characters. WhatsApp only. */
  descriptionLabel?: string | null | undefined;
  /** An icon shown with the reply, where the platform supports it. A public absolute https URL that Bird downloads (for example the `mediaUrl` of an upload made with `createMediaUpload`); loopback, private and local addresses are refused. */
  imageUrl?: string | null | undefined;
  /** The label shown, and the text sent back when the contact taps it. */
  text: string;
};

/** Makes the message a reply (for example to a received WhatsApp message). */
export type ReplyToInput = {
  /** The Bird id of what is replied to (a received message id). */
  id: string;
  /** The position within the replied-to item. */
  order?: number | null | undefined;
  /** What is replied to. */
  type?: ReplyToType | null | undefined;
};

/** What a message replies to. */
export type ReplyToType =
  /** A click on a message. */
  | 'CLICK'
  /** A received message. */
  | 'MESSAGE'
  /** A referral. */
  | 'REFERRALS';

/** Several contents sent as one message, in order (Bird body `section`). Read back as `SectionContent`. */
export type SectionBodyInput = {
  /** Bird's `configurations` map, passed through; every value a string. Bird documents no key but `default`. */
  configurations?: Record<string, unknown> | null | undefined;
  /** The parts of the message, in order, at least one (Bird `section.items`). */
  contents: Array<SectionItemInput>;
};

/** One part of a section message: set exactly one field, named after the body kind. A part cannot itself be a section. */
export type SectionItemInput = {
  /** A carousel part. */
  carousel?: CarouselBodyInput | null | undefined;
  /** A file part. */
  file?: FileBodyInput | null | undefined;
  /** A GIF part. */
  gif?: GifBodyInput | null | undefined;
  /** An image part. */
  image?: ImageBodyInput | null | undefined;
  /** A list part. */
  list?: ListBodyInput | null | undefined;
  /** A location part. */
  location?: LocationBodyInput | null | undefined;
  /** A text part. */
  text?: TextBodyInput | null | undefined;
};

/** A message to send on a channel: who to, what (a body or a template) and how. */
export type SendMessageInput = {
  /** The channel to send on. */
  channelId: string;
  /** A body, or a template. */
  content: MessageContentInput;
  /** Email subject and headers, extra information. */
  meta?: MessageMetaInput | null | undefined;
  /** Who receives it: exactly one, except on email channels (to, cc and bcc; at most 1000). */
  receivers: Array<ReceiverInput>;
  /** Your correlation reference (any non-empty text; Bird documents no length limit). When omitted one is generated; either way it is returned, to look the message up if the outcome is ever unknown. */
  reference?: string | null | undefined;
  /** Makes the message a reply. */
  replyTo?: ReplyToInput | null | undefined;
  /** Send later, at most 35 days ahead; a time in the past or under 10 minutes ahead sends now. */
  scheduledFor?: string | null | undefined;
  /** Overrides the channel's sender. */
  sender?: SenderOverrideInput | null | undefined;
  /** Up to 10 tags of 1–50 letters, digits, `-`, `_` or spaces (Bird lower-cases them). */
  tags?: Array<string> | null | undefined;
  /** Seconds Bird keeps trying to deliver; defaults by channel type (36 hours; 10 minutes for 2FA). */
  validity?: number | null | undefined;
  /** The Bird workspace UUID. */
  workspaceId: string;
};

/** Overrides the channel's sender for this message (for email: the sender's username and display name). */
export type SenderOverrideInput = {
  /** The sender identifier, e.g. the email username. */
  identifierValue: string;
  /** The display name. */
  name?: string | null | undefined;
};

/** Telegram's markup for the message text (Bird's `metadata.telegram.parseMode`). */
export type TelegramParseMode =
  /** Telegram's legacy Markdown (`Markdown`). */
  | 'MARKDOWN'
  /** Telegram's MarkdownV2 (`MarkdownV2`). */
  | 'MARKDOWN_V2';

/** A send from a template (Bird `template`): a platform template by `name` (e.g. a WhatsApp message template) or a Bird Studio template by `projectId`, with the values that fill it. Read back as `TemplateContent`. */
export type TemplateInput = {
  /** Files attached to the send (email templates), each by `mediaUrl`. */
  attachments?: Array<MessageAttachmentInput> | null | undefined;
  /** The BCP 47 locale of the template variant to send, e.g. `en` or `pt-BR`. */
  locale?: string | null | undefined;
  /** The platform name of the template. Give `name`, `projectId` or both. */
  name?: string | null | undefined;
  /** Typed values for the template variables. */
  parameters?: Array<TemplateParameterInput> | null | undefined;
  /** The Bird Studio project that holds the template. */
  projectId?: string | null | undefined;
  /** Platform-specific send settings, passed to Bird as given, e.g. `{ "disallowMmLite": true }` for WhatsApp marketing templates. */
  settings?: Record<string, unknown> | null | undefined;
  /** SMS link shortening for this send. */
  shortLinks?: TemplateShortLinksInput | null | undefined;
  /** UTM parameters Bird appends to the links of the message (1–8). */
  utmParameters?: Array<UtmParameterInput> | null | undefined;
  /** Values for the template variables as a legacy string map (Bird `variables`). */
  variables?: Array<TemplateVariableInput> | null | undefined;
  /** The template version: a version UUID, or `latest`. */
  version?: string | null | undefined;
};

/** A typed value for a template variable (Bird `TemplateParameter`): `key` names the variable and `type` says how `value` is shaped. */
export type TemplateParameterInput = {
  /** The template variable this parameter fills; not empty. */
  key: string;
  /** How `value` is shaped: `string` (the default), `number`, `boolean`, `object`, or a structured kind Bird renders as a platform element: `sectionList`, `timeslotList`, `productSections`, `productList`, `shippingMethodList`, `lineItemList`, `whatsappProductSections`, `whatsappProductItems`. A String because Bird adds kinds. */
  type?: string;
  /** The value: a string, number or boolean for those kinds, an object for the others (e.g. `{ "sections": [...] }` for `sectionList`, `{ "timeslots": [...] }` for `timeslotList`). */
  value?: unknown;
};

/** SMS link shortening for a template send (Bird `template.shortLinks`). */
export type TemplateShortLinksInput = {
  /** The domain of the short links; `default` is the workspace's default link-shortening domain. */
  domain?: string | null | undefined;
  /** Whether Bird shortens the links of the SMS. */
  enabled?: boolean | null | undefined;
};

/** One entry of a template send's legacy `variables` map; prefer `parameters`. */
export type TemplateVariableInput = {
  /** The variable name as used in the template; `default` is the fallback value. Each key at most once. */
  key: string;
  /** The value Bird substitutes. */
  value: string;
};

/** A plain-text message (Bird body `text`), optionally with buttons and, on email, a subject, headers and attachments. Read back as `TextContent`. */
export type TextBodyInput = {
  /** Buttons, quick replies or suggestions to attach, in display order; how they render depends on the platform. */
  actions?: Array<MessageActionInput> | null | undefined;
  /** The summary shown in notifications and the conversation list (Bird `metadata.apple.summaryText`). Apple Messages for Business only. */
  appleSummaryText?: string | null | undefined;
  /** Files attached to the message (email), each by `mediaUrl`. */
  attachments?: Array<MessageAttachmentInput> | null | undefined;
  /** Custom email headers (Bird `metadata.headers`); each name at most once. */
  headers?: Array<EmailHeaderInput> | null | undefined;
  /** LINE emojis replacing `$` placeholders in the text (Bird `metadata.line.emoji.items`). LINE only. */
  lineEmojis?: Array<LineEmojiInput> | null | undefined;
  /** The email subject, when sent on an email channel (Bird `metadata.subject`). */
  subject?: string | null | undefined;
  /** How Telegram formats the text (Bird `metadata.telegram.parseMode`). Telegram only. */
  telegramParseMode?: TelegramParseMode | null | undefined;
  /** The message text; not empty. */
  text: string;
  /** Whether WhatsApp shows a preview of the first URL in the text (Bird `metadata.whatsapp.previewUrl`). WhatsApp only. */
  whatsappPreviewUrl?: boolean | null | undefined;
};

/** A UTM query parameter Bird appends to the links of a template send: set exactly one of a static `value` and a dynamic `reference`. */
export type UtmParameterInput = {
  /** The query-string name, e.g. `utm_source` (1–20 characters). */
  key: string;
  /** The dynamic value Bird fills in at send time. */
  reference?: UtmParameterReference | null | undefined;
  /** The static value (1–100 characters). */
  value?: string | null | undefined;
};

/** A dynamic value Bird fills into a UTM parameter when it sends the message. */
export type UtmParameterReference =
  /** The name of the sending channel (`channel_name`). */
  | 'CHANNEL_NAME'
  /** The platform the message is sent on (`platform_name`). */
  | 'PLATFORM_NAME';

export type MessageFieldsFragment = { messageId: string, direction: MessageDirection | null, status: MessageStatus, text: string | null, createdAt: string, lastStatusAt: string, sender:
    | { __typename: 'ConnectorParticipant', identifierValue: string | null }
    | { __typename: 'ContactParticipant', identifierValue: string | null }
   | null, receivers: Array<
    | { __typename: 'ConnectorParticipant', identifierValue: string | null }
    | { __typename: 'ContactParticipant', identifierValue: string | null }
  > };

export type InteractionFieldsFragment = { interactionId: string, type: InteractionType, details: string | null, createdAt: string, link: { url: string | null } | null, reaction: { emoji: string | null } | null };

export type InboxChannelsQueryVariables = Exact<{ [key: string]: never; }>;


export type InboxChannelsQuery = { workspaces: { edges: Array<{ node: { workspaceId: string, name: string, channels: { edges: Array<{ node: { channelId: string, name: string, platform: Platform, status: ChannelStatus, identifier: string | null } }> } | null } }> } | null };

export type ChannelMessagesPageQueryVariables = Exact<{
  workspaceId: string;
  channelId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ChannelMessagesPageQuery = { channel: { messages: { edges: Array<{ cursor: string, node: { messageId: string, direction: MessageDirection | null, status: MessageStatus, text: string | null, createdAt: string, lastStatusAt: string, sender:
            | { __typename: 'ConnectorParticipant', identifierValue: string | null }
            | { __typename: 'ContactParticipant', identifierValue: string | null }
           | null, receivers: Array<
            | { __typename: 'ConnectorParticipant', identifierValue: string | null }
            | { __typename: 'ContactParticipant', identifierValue: string | null }
          > } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean } } | null } | null };

export type MessageDetailsQueryVariables = Exact<{
  workspaceId: string;
  channelId: string;
  messageId: string;
}>;


export type MessageDetailsQuery = { message: { subject: string | null, reference: string | null, tags: Array<string> | null, messageId: string, direction: MessageDirection | null, status: MessageStatus, text: string | null, createdAt: string, lastStatusAt: string, failure: { code: number, description: string } | null, channel: { name: string } | null, interactions: { edges: Array<{ node: { interactionId: string, type: InteractionType, details: string | null, createdAt: string, link: { url: string | null } | null, reaction: { emoji: string | null } | null } }>, pageInfo: { hasNextPage: boolean } } | null, sender:
      | { __typename: 'ConnectorParticipant', identifierValue: string | null }
      | { __typename: 'ContactParticipant', identifierValue: string | null }
     | null, receivers: Array<
      | { __typename: 'ConnectorParticipant', identifierValue: string | null }
      | { __typename: 'ContactParticipant', identifierValue: string | null }
    > } | null };

export type SendTextMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendTextMutation = { sendMessage:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'OutcomeUnknownError', reference: string, message: string }
    | { __typename: 'RateLimitedError', message: string }
    | { __typename: 'SendMessagePayload', sentMessage: { messageId: string, direction: MessageDirection | null, status: MessageStatus, text: string | null, createdAt: string, lastStatusAt: string, sender:
          | { __typename: 'ConnectorParticipant', identifierValue: string | null }
          | { __typename: 'ContactParticipant', identifierValue: string | null }
         | null, receivers: Array<
          | { __typename: 'ConnectorParticipant', identifierValue: string | null }
          | { __typename: 'ContactParticipant', identifierValue: string | null }
        > } }
    | { __typename: 'UpstreamUnavailableError', message: string }
    | { __typename: 'ValidationError', message: string, fields: Array<{ path: Array<string>, message: string }> }
   };

export type ChannelMessageUpdatedSubscriptionVariables = Exact<{
  workspaceId: string;
  channelId: string;
}>;


export type ChannelMessageUpdatedSubscription = { messageUpdated: { messageId: string, direction: MessageDirection | null, status: MessageStatus, text: string | null, createdAt: string, lastStatusAt: string, sender:
      | { __typename: 'ConnectorParticipant', identifierValue: string | null }
      | { __typename: 'ContactParticipant', identifierValue: string | null }
     | null, receivers: Array<
      | { __typename: 'ConnectorParticipant', identifierValue: string | null }
      | { __typename: 'ContactParticipant', identifierValue: string | null }
    > } };

export type ChannelMessageReceivedSubscriptionVariables = Exact<{
  workspaceId: string;
  channelId: string;
}>;


export type ChannelMessageReceivedSubscription = { messageReceived: { messageId: string, direction: MessageDirection | null, status: MessageStatus, text: string | null, createdAt: string, lastStatusAt: string, sender:
      | { __typename: 'ConnectorParticipant', identifierValue: string | null }
      | { __typename: 'ContactParticipant', identifierValue: string | null }
     | null, receivers: Array<
      | { __typename: 'ConnectorParticipant', identifierValue: string | null }
      | { __typename: 'ContactParticipant', identifierValue: string | null }
    > } };

export type MessageInteractionAddedSubscriptionVariables = Exact<{
  workspaceId: string;
  channelId: string;
  messageId: string;
}>;


export type MessageInteractionAddedSubscription = { interactionAdded: { interactionId: string, type: InteractionType, details: string | null, createdAt: string, link: { url: string | null } | null, reaction: { emoji: string | null } | null } };

export const MessageFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusAt"}},{"kind":"Field","name":{"kind":"Name","value":"sender"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"receivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}}]}}]} as unknown as DocumentNode<MessageFieldsFragment, unknown>;
export const InteractionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InteractionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Interaction"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interactionId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"link"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reaction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"emoji"}}]}}]}}]} as unknown as DocumentNode<InteractionFieldsFragment, unknown>;
export const InboxChannelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InboxChannels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaces"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"channels"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"25"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channelId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"platform"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"identifier"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<InboxChannelsQuery, InboxChannelsQueryVariables>;
export const ChannelMessagesPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ChannelMessagesPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messages"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusAt"}},{"kind":"Field","name":{"kind":"Name","value":"sender"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"receivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}}]}}]} as unknown as DocumentNode<ChannelMessagesPageQuery, ChannelMessagesPageQueryVariables>;
export const MessageDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MessageDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}},{"kind":"Argument","name":{"kind":"Name","value":"messageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"failure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}},{"kind":"Field","name":{"kind":"Name","value":"channel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"InteractionFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusAt"}},{"kind":"Field","name":{"kind":"Name","value":"sender"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"receivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InteractionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Interaction"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interactionId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"link"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reaction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"emoji"}}]}}]}}]} as unknown as DocumentNode<MessageDetailsQuery, MessageDetailsQueryVariables>;
export const SendTextDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendText"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessagePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sentMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OutcomeUnknownError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reference"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusAt"}},{"kind":"Field","name":{"kind":"Name","value":"sender"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"receivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}}]}}]} as unknown as DocumentNode<SendTextMutation, SendTextMutationVariables>;
export const ChannelMessageUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ChannelMessageUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusAt"}},{"kind":"Field","name":{"kind":"Name","value":"sender"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"receivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}}]}}]} as unknown as DocumentNode<ChannelMessageUpdatedSubscription, ChannelMessageUpdatedSubscriptionVariables>;
export const ChannelMessageReceivedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ChannelMessageReceived"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageReceived"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusAt"}},{"kind":"Field","name":{"kind":"Name","value":"sender"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"receivers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ContactParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectorParticipant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifierValue"}}]}}]}}]}}]} as unknown as DocumentNode<ChannelMessageReceivedSubscription, ChannelMessageReceivedSubscriptionVariables>;
export const MessageInteractionAddedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"MessageInteractionAdded"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interactionAdded"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"channelId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"channelId"}}},{"kind":"Argument","name":{"kind":"Name","value":"messageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"InteractionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InteractionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Interaction"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interactionId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"link"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reaction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"emoji"}}]}}]}}]} as unknown as DocumentNode<MessageInteractionAddedSubscription, MessageInteractionAddedSubscriptionVariables>;