// Pre-send checks of a content input: the rules of Bird's that GraphQL types cannot express, as field errors with paths.
//
// Pure functions over the input shapes (no Pothos at run time): non-empty strings, ranges, list sizes, per-platform
// rules and media URLs (src/media/url-policy.ts). Paths are relative to the content input, e.g.
// `['body', 'image', 'images', '0', 'mediaUrl']`, so that they read like GraphQL input paths.
import { mediaUrlProblem } from '../media/url-policy.ts';
import { type Maybe, isSet, kindNames } from './body-fields.ts';
import type {
  ActionKinds,
  AttachmentShape,
  BodyKinds,
  CarouselShape,
  HeaderShape,
  ItemShape,
  MessageContentInputShape,
  TemplateInputShape,
} from './content-input.ts';
import { isUuid } from './ids.ts';
import type { FieldErrorShape } from './mutation-errors.ts';

const TEMPLATE_VARIABLE = /{{[^{}]+}}/;

/** A link's `url`: a `{{variable}}` template string (Bird's own pattern), else an absolute http(s) URL. */
function linkUrlProblem(url: string): string | null {
  if (TEMPLATE_VARIABLE.test(url)) return null;
  const message = 'A link must be an absolute http or https URL, or a template string with a {{variable}}.';
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? null : message;
  } catch {
    return message;
  }
}

export interface ValidateContentOptions {
  /** True for URLs on Bird's own media host (uploads from `createMediaUpload`); they skip the public-https rule. */
  isAllowedMediaUrl: (url: string) => boolean;
  /** The channel's Bird platform id (`sms`, `whatsapp`, `email`, …): some rules are per platform. */
  platform: string;
}

/** Bird counts JSON Schema string lengths in code points, not UTF-16 units. */
const length = (text: string) => [...text].length;

/** Bird's `locale-bcp47` format, as the emulator checks it: language, optional script, region and variants. */
const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8}|-\d[A-Za-z0-9]{3})*$/;
/** Bird's `emailFrom.username` pattern `[\w\d.-/+]+`, anchored, with the `-` it evidently means. */
const EMAIL_USERNAME = /^[\w.\-/+]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The structured template parameter kinds and the key their object `value` must hold (Bird `TemplateParameter`). */
const STRUCTURED_PARAMETER_KEYS: Record<string, string> = {
  sectionList: 'sections',
  timeslotList: 'timeslots',
  productSections: 'productSections',
  productList: 'products',
  shippingMethodList: 'shippingMethods',
  lineItemList: 'lineItems',
  whatsappProductSections: 'sections',
  whatsappProductItems: 'products',
};

const ACTION_KINDS = kindNames('action');

const MAX_MMS_MEDIA = 10;
const MAX_CAROUSEL_CARDS = 10;
const MIN_WHATSAPP_CAROUSEL_CARDS = 2;

/** Bird platform ids are a name, sometimes with a provider suffix (`sms-messagebird`). */
export const isPlatform = (platform: string, name: string): boolean => platform === name || platform.startsWith(`${name}-`);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The keys of a @oneOf input that are set; GraphQL guarantees exactly one, direct callers may not. */
function setKeys(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => isSet(value))
    .map(([key]) => key);
}

class Checker {
  readonly errors: FieldErrorShape[] = [];
  constructor(readonly options: ValidateContentOptions) {}

  fail(path: readonly string[], message: string): void {
    this.errors.push({ path: [...path], message });
  }

  /** Exactly one field of a @oneOf input set; false (and an error) otherwise. */
  oneOf(input: object, path: readonly string[], kinds: readonly string[]): boolean {
    const keys = setKeys(input);
    const unknown = keys.filter((key) => !kinds.includes(key));
    if (keys.length === 1 && unknown.length === 0) return true;
    this.fail(path, `Set exactly one of ${kinds.map((kind) => `\`${kind}\``).join(', ')}.`);
    return false;
  }

  nonEmpty(value: Maybe<string>, path: readonly string[]): void {
    if (isSet(value) && value.length === 0) this.fail(path, 'Must not be empty.');
  }

  maxLength(value: Maybe<string>, max: number, path: readonly string[]): void {
    if (isSet(value) && length(value) > max) this.fail(path, `At most ${max} characters.`);
  }

  mediaUrl(url: Maybe<URL | string>, path: readonly string[]): void {
    if (!isSet(url)) return;
    const problem = mediaUrlProblem(url, this.options.isAllowedMediaUrl);
    if (problem) this.fail(path, problem);
  }

  actions(actions: Maybe<readonly ActionKinds[]>, path: readonly string[]): void {
    actions?.forEach((action, index) => this.action(action, [...path, String(index)]));
  }

  action(action: ActionKinds, path: readonly string[]): void {
    if (!this.oneOf(action, path, ACTION_KINDS)) return;
    if (action.link) {
      const problem = linkUrlProblem(action.link.url);
      if (problem) this.fail([...path, 'link', 'url'], problem);
    }
    if (action.reply) {
      this.mediaUrl(action.reply.imageUrl, [...path, 'reply', 'imageUrl']);
      this.maxLength(action.reply.descriptionLabel, 72, [...path, 'reply', 'descriptionLabel']);
    }
    if (action.postback) {
      this.mediaUrl(action.postback.imageUrl, [...path, 'postback', 'imageUrl']);
      this.maxLength(action.postback.descriptionLabel, 72, [...path, 'postback', 'descriptionLabel']);
    }
    if (action.buy) {
      if (!/^[A-Za-z]{3}$/.test(action.buy.currency)) {
        this.fail([...path, 'buy', 'currency'], 'A currency is its three-letter ISO 4217 code, such as EUR.');
      }
      if (!Number.isInteger(action.buy.amountCents) || action.buy.amountCents < 0) {
        this.fail([...path, 'buy', 'amountCents'], 'A price is a whole number of cents, 0 or more.');
      }
    }
  }

  /**
   * Attachments of a text body (by mediaUrl), an html body (by mediaUrl or inline content) or a template send (by
   * mediaUrl, no contentId): each Bird schema is closed, so a field it lacks is an error rather than dropped.
   */
  attachments(
    attachments: Maybe<readonly AttachmentShape[]>,
    path: readonly string[],
    context: 'text' | 'html' | 'template',
  ): void {
    attachments?.forEach((attachment, index) => {
      const at = [...path, String(index)];
      const hasUrl = isSet(attachment.mediaUrl);
      const hasContent = isSet(attachment.content);
      if (context !== 'html') {
        for (const field of ['content', 'contentType'] as const) {
          if (isSet(attachment[field])) {
            this.fail([...at, field], 'Inline content is for html bodies only: give a mediaUrl.');
          }
        }
        if (context === 'template' && isSet(attachment.contentId)) {
          this.fail([...at, 'contentId'], 'Template attachments take no contentId.');
        }
      }
      if (hasUrl && hasContent) {
        this.fail(at, 'Give either a mediaUrl or inline content, not both.');
      } else if (!hasUrl && !hasContent) {
        this.fail(
          at,
          context === 'html'
            ? 'An attachment needs a mediaUrl, or inline base64 content with its contentType.'
            : 'An attachment needs a mediaUrl.',
        );
      }
      this.mediaUrl(attachment.mediaUrl, [...at, 'mediaUrl']);
      if (context === 'html' && hasContent) {
        const content = attachment.content as string;
        if (content.length === 0 || !BASE64.test(content.replace(/\s+/g, ''))) {
          this.fail([...at, 'content'], 'Inline content must be the file encoded as base64.');
        }
        if (!isSet(attachment.contentType) || attachment.contentType.length === 0) {
          this.fail([...at, 'contentType'], 'Inline content needs its contentType, e.g. application/pdf.');
        }
      }
    });
  }

  headers(headers: Maybe<readonly HeaderShape[]>, path: readonly string[]): void {
    const seen = new Set<string>();
    headers?.forEach((header, index) => {
      const at = [...path, String(index)];
      if (!HEADER_NAME.test(header.name)) {
        this.fail([...at, 'name'], 'A header name is one or more letters, digits and `!#$%&\'*+-.^_`|~` characters.');
      } else if (seen.has(header.name.toLowerCase())) {
        this.fail([...at, 'name'], 'Each header name at most once (names are case-insensitive).');
      }
      seen.add(header.name.toLowerCase());
      if (/[\r\n]/.test(header.value)) this.fail([...at, 'value'], 'A header value is one line: no line breaks.');
    });
  }

  items(items: Maybe<readonly ItemShape[]>, path: readonly string[]): void {
    items?.forEach((item, index) => {
      const at = [...path, String(index)];
      this.mediaUrl(item.mediaUrl, [...at, 'mediaUrl']);
      this.actions(item.actions, [...at, 'actions']);
    });
  }

  mediaCount(count: number, path: readonly string[], noun: string): void {
    if (count === 0) this.fail(path, `Give at least one ${noun}.`);
    if (isPlatform(this.options.platform, 'sms') && count > MAX_MMS_MEDIA) {
      this.fail(path, `SMS/MMS messages carry at most ${MAX_MMS_MEDIA} ${noun}s.`);
    }
  }

  body(input: BodyKinds, path: readonly string[], kinds: readonly (keyof BodyKinds)[]): void {
    if (!this.oneOf(input, path, kinds)) return;
    const { text, html, image, file, gif, location, carousel, list, section, authentication } = input;
    if (text) {
      const at = [...path, 'text'];
      if (text.text.length === 0) this.fail([...at, 'text'], 'The text must not be empty.');
      this.attachments(text.attachments, [...at, 'attachments'], 'text');
      this.actions(text.actions, [...at, 'actions']);
      this.headers(text.headers, [...at, 'headers']);
    }
    if (html) {
      const at = [...path, 'html'];
      if (!isSet(html.text) && !isSet(html.html)) this.fail(at, 'An email needs text, html or both.');
      this.nonEmpty(html.text, [...at, 'text']);
      this.nonEmpty(html.html, [...at, 'html']);
      this.attachments(html.attachments, [...at, 'attachments'], 'html');
      this.actions(html.actions, [...at, 'actions']);
      this.headers(html.headers, [...at, 'headers']);
      const username = html.emailFrom?.username;
      if (isSet(username) && !EMAIL_USERNAME.test(username)) {
        this.fail([...at, 'emailFrom', 'username'], 'A sender username is letters, digits, `_`, `.`, `-`, `/` and `+`.');
      }
    }
    if (image) {
      const at = [...path, 'image'];
      this.mediaCount(image.images.length, [...at, 'images'], 'image');
      image.images.forEach((item, index) => this.mediaUrl(item.mediaUrl, [...at, 'images', String(index), 'mediaUrl']));
      this.actions(image.actions, [...at, 'actions']);
    }
    if (file) {
      const at = [...path, 'file'];
      this.mediaCount(file.files.length, [...at, 'files'], 'file');
      file.files.forEach((item, index) => {
        this.mediaUrl(item.mediaUrl, [...at, 'files', String(index), 'mediaUrl']);
        if (item.contentType.length === 0) this.fail([...at, 'files', String(index), 'contentType'], 'Must not be empty.');
      });
      this.actions(file.actions, [...at, 'actions']);
    }
    if (gif) {
      this.mediaUrl(gif.mediaUrl, [...path, 'gif', 'mediaUrl']);
      this.actions(gif.actions, [...path, 'gif', 'actions']);
    }
    if (location) {
      const at = [...path, 'location', 'coordinates'];
      const { latitude, longitude } = location.coordinates;
      if (!(latitude >= -90 && latitude <= 90)) this.fail([...at, 'latitude'], 'A latitude is between -90 and 90 degrees.');
      if (!(longitude >= -180 && longitude <= 180)) {
        this.fail([...at, 'longitude'], 'A longitude is between -180 and 180 degrees.');
      }
    }
    if (carousel) this.carousel(carousel, [...path, 'carousel']);
    if (list) {
      const at = [...path, 'list'];
      this.items(list.items, [...at, 'items']);
      this.actions(list.actions, [...at, 'actions']);
      this.maxLength(list.buttonLabel, 20, [...at, 'buttonLabel']);
      this.maxLength(list.replyMessage?.title, 512, [...at, 'replyMessage', 'title']);
      this.maxLength(list.replyMessage?.text, 512, [...at, 'replyMessage', 'text']);
    }
    if (section) {
      const at = [...path, 'section'];
      if (section.contents.length === 0) this.fail([...at, 'contents'], 'A section needs at least one part.');
      section.contents.forEach((part, index) =>
        this.body(part, [...at, 'contents', String(index)], ['text', 'image', 'file', 'gif', 'location', 'carousel', 'list']),
      );
      for (const [key, value] of Object.entries(section.configurations ?? {})) {
        if (typeof value !== 'string') this.fail([...at, 'configurations', key], 'Configuration values are strings.');
      }
    }
    if (authentication) {
      const at = [...path, 'authentication', 'otp'];
      const { expirationTime } = authentication.otp;
      if (isSet(expirationTime) && (expirationTime < 1 || expirationTime > 90)) {
        this.fail([...at, 'expirationTime'], 'The expiration time is between 1 and 90.');
      }
      this.actions(authentication.otp.actions, [...at, 'actions']);
    }
  }

  carousel(carousel: CarouselShape, path: readonly string[]): void {
    const count = carousel.items.length;
    this.maxLength(carousel.text, 1024, [...path, 'text']);
    this.items(carousel.items, [...path, 'items']);
    if (isPlatform(this.options.platform, 'whatsapp')) {
      if (count < MIN_WHATSAPP_CAROUSEL_CARDS || count > MAX_CAROUSEL_CARDS) {
        this.fail([...path, 'items'], 'A WhatsApp carousel has 2 to 10 cards.');
      }
      carousel.items.forEach((item, index) => {
        const at = [...path, 'items', String(index)];
        if (!isSet(item.title) || item.title.length === 0) {
          this.fail([...at, 'title'], 'Every WhatsApp carousel card needs a title.');
        }
        if (!isSet(item.mediaUrl)) this.fail([...at, 'mediaUrl'], 'Every WhatsApp carousel card needs an image or video.');
        const actions = item.actions ?? [];
        if (actions.length !== 1 || !actions[0]?.link) {
          this.fail([...at, 'actions'], 'Every WhatsApp carousel card has exactly one action, a link.');
        }
      });
    } else if (count < 1 || count > MAX_CAROUSEL_CARDS) {
      this.fail([...path, 'items'], 'A carousel has 1 to 10 cards.');
    }
  }

  template(template: TemplateInputShape, path: readonly string[]): void {
    if (!isSet(template.name) && !isSet(template.projectId)) {
      this.fail(path, 'A template needs its name (a platform template) or projectId (a Bird Studio template).');
    }
    this.nonEmpty(template.name, [...path, 'name']);
    if (isSet(template.version) && template.version !== 'latest' && !isUuid(template.version)) {
      this.fail([...path, 'version'], 'A template version is a version UUID or `latest`.');
    }
    if (isSet(template.locale) && !BCP47.test(template.locale)) {
      this.fail([...path, 'locale'], 'A locale is a BCP 47 tag such as `en` or `pt-BR`.');
    }
    template.parameters?.forEach((parameter, index) => this.parameter(parameter, [...path, 'parameters', String(index)]));
    const keys = new Set<string>();
    template.variables?.forEach((variable, index) => {
      if (keys.has(variable.key)) this.fail([...path, 'variables', String(index), 'key'], 'Each variable key at most once.');
      keys.add(variable.key);
    });
    this.attachments(template.attachments, [...path, 'attachments'], 'template');
    const utm = template.utmParameters;
    if (isSet(utm) && (utm.length < 1 || utm.length > 8)) {
      this.fail([...path, 'utmParameters'], 'Give 1 to 8 UTM parameters, or leave the field out.');
    }
    utm?.forEach((parameter, index) => {
      const at = [...path, 'utmParameters', String(index)];
      if (parameter.key.length < 1 || length(parameter.key) > 20) this.fail([...at, 'key'], 'A UTM key is 1 to 20 characters.');
      if (isSet(parameter.value) === isSet(parameter.reference)) {
        this.fail(at, 'Set exactly one of value and reference.');
      } else if (isSet(parameter.value) && (parameter.value.length < 1 || length(parameter.value) > 100)) {
        this.fail([...at, 'value'], 'A UTM value is 1 to 100 characters.');
      }
    });
  }

  parameter(parameter: NonNullable<TemplateInputShape['parameters']>[number], path: readonly string[]): void {
    const type = parameter.type ?? 'string';
    const { value } = parameter;
    if (parameter.key.length === 0) this.fail([...path, 'key'], 'A parameter key must not be empty.');
    if (type.length === 0) this.fail([...path, 'type'], 'A parameter type must not be empty.');
    if (!isSet(value)) return;
    const expected =
      type === 'string' || type === 'number' || type === 'boolean'
        ? typeof value === type && (type !== 'number' || Number.isFinite(value))
        : type === 'object' || type in STRUCTURED_PARAMETER_KEYS
          ? isPlainObject(value)
          : true; // a kind Bird added after this schema: passed through unchecked
    if (!expected) {
      const kind = type in STRUCTURED_PARAMETER_KEYS ? 'object' : type;
      this.fail([...path, 'value'], `A \`${type}\` parameter takes a ${kind} value.`);
      return;
    }
    const key = STRUCTURED_PARAMETER_KEYS[type];
    if (key !== undefined && !(key in (value as Record<string, unknown>))) {
      this.fail([...path, 'value'], `A \`${type}\` parameter value is an object with \`${key}\`.`);
    }
  }
}

const BODY_KINDS = kindNames('body');

/**
 * Checks a content input against Bird's documented rules that GraphQL types cannot express, before any call:
 * non-empty texts, list sizes and ranges, per-platform rules (`options.platform`), and that every media URL is one
 * Bird can fetch publicly (or passes `options.isAllowedMediaUrl`). Paths are relative to the content input, e.g.
 * `['body', 'image', 'images', '0', 'mediaUrl']`; an empty list means the content is valid.
 */
export function validateContent(input: MessageContentInputShape, options: ValidateContentOptions): FieldErrorShape[] {
  const checker = new Checker(options);
  if (!checker.oneOf(input, [], ['body', 'template'])) return checker.errors;
  if (input.body) checker.body(input.body, ['body'], BODY_KINDS);
  if (input.template) checker.template(input.template, ['template']);
  return checker.errors;
}
