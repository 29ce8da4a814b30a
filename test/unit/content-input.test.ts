// Content inputs: exact Bird wire JSON per kind (OpenAPI- and emulator-checked), each validation rule, and media URL SSRF refusals.
import {
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLInputObjectType,
  execute,
  isInputObjectType,
  parse,
  validate,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateMessageRequest, MessageBody, MessageTemplate } from '../../src/bird/types.ts';
import { builder } from '../../src/builder.ts';
import { SEED, seedStore } from '../../src/emulator/seed.ts';
import { Store } from '../../src/emulator/store.ts';
import { mediaUrlProblem } from '../../src/media/url-policy.ts';
import type { MessageBodyInputShape, MessageContentInputShape, TemplateInputShape } from '../../src/schema/content-input.ts';
import { type ValidateContentOptions, validateContent } from '../../src/schema/content-validate.ts';
import { toWireContent } from '../../src/schema/content-wire.ts';
import '../../src/schema/index.ts';
import { schemaErrors, validateCreateMessage } from '../conformance/openapi.ts';

const u = (url: string) => new URL(url);
const body = (input: MessageBodyInputShape): MessageContentInputShape => ({ body: input });
const template = (input: TemplateInputShape): MessageContentInputShape => ({ template: input });

const PNG = 'https://cdn.example.com/a.png';
const PDF = 'https://cdn.example.com/d.pdf';
const EMULATOR_MEDIA = 'http://127.0.0.1:4010';
const options = (platform = 'telegram'): ValidateContentOptions => ({
  platform,
  isAllowedMediaUrl: (url) => new URL(url).origin === EMULATOR_MEDIA,
});
const check = (input: MessageContentInputShape, platform?: string) => validateContent(input, options(platform));
/** Exactly one error, at `path`. */
const oneError = (path: string[]) => [{ path, message: expect.any(String) }];

// ---------------------------------------------------------------------------------------------------------------
// Wire conversion
// ---------------------------------------------------------------------------------------------------------------

let store: Store;
beforeAll(() => {
  store = new Store({ origin: 'http://127.0.0.1:1', lifecycle: 'manual' });
  seedStore(store);
});
afterAll(() => store.close());

const WS = SEED.workspaces.main.id;
const PHONE = { contacts: [{ identifierValue: '+31612345678' }] };
const EMAIL = { contacts: [{ identifierValue: 'ada@example.com' }] };

/**
 * The wire content must be what Bird's OpenAPI CreateMessage accepts and what the emulator accepts (202). Bird's
 * own TypeAction accepts no permission-request body at all (the emulator's `action-body-shape` departure), so that one is checked
 * against the emulator only.
 */
function expectAccepted(wire: { body?: MessageBody; template?: MessageTemplate }, channel: 'whatsapp' | 'email' = 'whatsapp') {
  const request: CreateMessageRequest = { receiver: channel === 'email' ? EMAIL : PHONE, ...wire };
  if (wire.body?.type !== 'action') expect(schemaErrors(validateCreateMessage, request)).toBe('');
  expect(() => store.sendMessage(WS, SEED.channels[channel].id, request)).not.toThrow();
}

describe('toWireContent: bodies', () => {
  it('text: a minimal body, unset fields left out entirely', () => {
    const wire = toWireContent(body({ text: { text: 'Single text message', actions: null, subject: undefined } }));
    expect(wire).toStrictEqual({ body: { type: 'text', text: { text: 'Single text message' } } });
    expect(JSON.stringify(wire)).toBe('{"body":{"type":"text","text":{"text":"Single text message"}}}');
    expectAccepted(wire);
  });

  it('text: actions and every flat metadata field go back under Bird `metadata`', () => {
    const wire = toWireContent(
      body({
        text: {
          text: 'Pick',
          attachments: [{ mediaUrl: u(PDF), filename: 'd.pdf', inline: false, contentId: 'doc' }],
          actions: [{ reply: { text: 'Yes' } }, { postback: { text: 'No', payload: 'no' } }],
          subject: 'Hello',
          headers: [{ name: 'X-Campaign', value: 'spring' }],
          whatsappPreviewUrl: false,
          telegramParseMode: 'MarkdownV2',
          appleSummaryText: 'Pick one',
          lineEmojis: [{ index: 0, productId: '5ac1bfd5040ab15980c9b435', emojiId: '001' }],
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'text',
        text: {
          text: 'Pick',
          attachments: [{ mediaUrl: PDF, filename: 'd.pdf', inline: false, contentId: 'doc' }],
          actions: [
            { type: 'reply', reply: { text: 'Yes' } },
            { type: 'postback', postback: { text: 'No', payload: 'no' } },
          ],
          metadata: {
            subject: 'Hello',
            headers: { 'X-Campaign': 'spring' },
            whatsapp: { previewUrl: false },
            line: { emoji: { items: [{ index: 0, productId: '5ac1bfd5040ab15980c9b435', emojiId: '001' }] } },
            telegram: { parseMode: 'MarkdownV2' },
            apple: { summaryText: 'Pick one' },
          },
        },
      },
    });
    expectAccepted(wire);
  });

  it('html: both parts, sender, tracking, inline and linked attachments, a templated link', () => {
    const wire = toWireContent(
      body({
        html: {
          text: 'Hi',
          html: '<p>Hi</p>',
          subject: 'Spring sale',
          emailFrom: { username: 'news', displayName: 'Acme' },
          headers: [{ name: 'X-Campaign', value: 'spring' }],
          openTracking: true,
          clickTracking: false,
          initialOpenTracking: true,
          attachments: [
            { content: 'aGVsbG8=', contentType: 'text/plain', filename: 'hello.txt' },
            { mediaUrl: u(PNG), filename: 'logo.png', inline: true, contentId: 'logo' },
          ],
          actions: [{ link: { text: 'Open', url: 'https://example.com/{{code}}' } }],
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'html',
        html: {
          text: 'Hi',
          html: '<p>Hi</p>',
          attachments: [
            { filename: 'hello.txt', content: 'aGVsbG8=', contentType: 'text/plain' },
            { mediaUrl: PNG, filename: 'logo.png', inline: true, contentId: 'logo' },
          ],
          actions: [{ type: 'link', link: { text: 'Open', url: 'https://example.com/{{code}}' } }],
          metadata: {
            subject: 'Spring sale',
            emailFrom: { username: 'news', displayName: 'Acme' },
            headers: { 'X-Campaign': 'spring' },
            initialOpenTracking: true,
            clickTracking: false,
            openTracking: true,
          },
        },
      },
    });
    expectAccepted(wire, 'email');
  });

  it('image: URL objects become strings; MMS metadata', () => {
    const wire = toWireContent(
      body({
        image: {
          text: 'caption',
          images: [{ mediaUrl: u(PNG), altText: 'A' }],
          subject: 'MMS subject',
          fallbackText: 'See https://example.com',
          telegramParseMode: 'Markdown',
          actions: [{ buy: { text: 'Buy', amountCents: 1250, currency: 'EUR' } }],
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'image',
        image: {
          text: 'caption',
          images: [{ mediaUrl: PNG, altText: 'A' }],
          metadata: { subject: 'MMS subject', fallbackText: 'See https://example.com', telegram: { parseMode: 'Markdown' } },
          actions: [{ type: 'buy', buy: { text: 'Buy', amountCents: 1250, currency: 'EUR' } }],
        },
      },
    });
    expectAccepted(wire);
  });

  it("file: bird-api.md's example, and a sticker's isAnimated under the file's metadata", () => {
    const wire = toWireContent(
      body({
        file: {
          text: 'docs',
          files: [
            { contentType: 'application/pdf', mediaUrl: u(PDF), filename: 'passport.pdf' },
            { contentType: 'image/webp', mediaUrl: u('https://cdn.example.com/s.webp'), isAnimated: true },
          ],
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'file',
        file: {
          text: 'docs',
          files: [
            { mediaUrl: PDF, contentType: 'application/pdf', filename: 'passport.pdf' },
            { mediaUrl: 'https://cdn.example.com/s.webp', contentType: 'image/webp', metadata: { isAnimated: true } },
          ],
        },
      },
    });
    expectAccepted(wire);
  });

  it('gif', () => {
    const wire = toWireContent(
      body({
        gif: {
          text: 'ha',
          mediaUrl: u('https://cdn.example.com/a.gif'),
          altText: 'laughing',
          telegramParseMode: 'Markdown',
          actions: [{ locationRequest: {} }, { locationRequest: { text: 'Share' } }],
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'gif',
        gif: {
          text: 'ha',
          mediaUrl: 'https://cdn.example.com/a.gif',
          altText: 'laughing',
          actions: [{ type: 'locationRequest' }, { type: 'locationRequest', locationRequest: { text: 'Share' } }],
          metadata: { telegram: { parseMode: 'Markdown' } },
        },
      },
    });
    expectAccepted(wire);
  });

  it('location: coordinates, and the label/address object only when set', () => {
    const wire = toWireContent(
      body({ location: { coordinates: { latitude: 52.34, longitude: 4.9 }, address: 'Trompenburgstraat 2C', label: 'Bird HQ' } }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'location',
        location: {
          coordinates: { latitude: 52.34, longitude: 4.9 },
          location: { address: 'Trompenburgstraat 2C', label: 'Bird HQ' },
        },
      },
    });
    expectAccepted(wire);
    const bare = toWireContent(body({ location: { coordinates: { latitude: 0, longitude: 0 }, label: null } }));
    expect(bare).toStrictEqual({ body: { type: 'location', location: { coordinates: { latitude: 0, longitude: 0 } } } });
  });

  it('carousel', () => {
    const wire = toWireContent(
      body({
        carousel: {
          text: 'Our picks',
          items: [
            {
              title: 'Shoe',
              description: 'Red',
              mediaUrl: u(PNG),
              altText: 'A red shoe',
              actions: [{ link: { text: 'View', url: 'https://shop.example.com/shoe' } }],
            },
            { title: 'Hat', mediaUrl: u('https://cdn.example.com/h.png'), actions: [{ link: { text: 'View', url: 'http://shop.example.com/hat' } }] },
          ],
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'carousel',
        carousel: {
          text: 'Our picks',
          items: [
            {
              title: 'Shoe',
              mediaUrl: PNG,
              description: 'Red',
              altText: 'A red shoe',
              actions: [{ type: 'link', link: { text: 'View', url: 'https://shop.example.com/shoe' } }],
            },
            {
              title: 'Hat',
              mediaUrl: 'https://cdn.example.com/h.png',
              actions: [{ type: 'link', link: { text: 'View', url: 'http://shop.example.com/hat' } }],
            },
          ],
        },
      },
    });
    expectAccepted(wire);
  });

  it('list: button label and reply message under `metadata`, row descriptions under the action metadata', () => {
    const wire = toWireContent(
      body({
        list: {
          title: 'Menu',
          text: 'Pick a slot',
          altText: 'Slots',
          items: [{ title: 'Morning', description: '9–12' }],
          actions: [
            { reply: { text: 'Monday', descriptionLabel: '9:00–12:00', imageUrl: u('https://cdn.example.com/m.png') } },
            { postback: { text: 'Tuesday', payload: 'tue', descriptionLabel: '13:00–17:00' } },
          ],
          buttonLabel: 'Choose',
          replyMessage: { title: 'Picked', text: 'Thanks' },
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'list',
        list: {
          title: 'Menu',
          text: 'Pick a slot',
          altText: 'Slots',
          items: [{ title: 'Morning', description: '9–12' }],
          actions: [
            {
              type: 'reply',
              reply: { text: 'Monday', imageUrl: 'https://cdn.example.com/m.png', metadata: { description: { label: '9:00–12:00' } } },
            },
            { type: 'postback', postback: { text: 'Tuesday', payload: 'tue', metadata: { description: { label: '13:00–17:00' } } } },
          ],
          metadata: { button: { label: 'Choose' }, replyMessage: { title: 'Picked', text: 'Thanks' } },
        },
      },
    });
    expectAccepted(wire);
  });

  it('section: `contents` become Bird `items`, each a full body', () => {
    const wire = toWireContent(
      body({
        section: {
          contents: [{ text: { text: 'Here you go' } }, { image: { images: [{ mediaUrl: u(PNG) }] } }],
          configurations: { default: 'x' },
        },
      }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'section',
        section: {
          items: [
            { type: 'text', text: { text: 'Here you go' } },
            { type: 'image', image: { images: [{ mediaUrl: PNG }] } },
          ],
          configurations: { default: 'x' },
        },
      },
    });
    expectAccepted(wire);
  });

  it('authentication', () => {
    const wire = toWireContent(
      body({ authentication: { otp: { disclaimer: true, expirationTime: 10, actions: [{ reply: { text: 'Copy code' } }] } } }),
    );
    expect(wire).toStrictEqual({
      body: {
        type: 'authentication',
        authentication: { otp: { disclaimer: true, expirationTime: 10, actions: [{ type: 'reply', reply: { text: 'Copy code' } }] } },
      },
    });
    expectAccepted(wire);
    expect(toWireContent(body({ authentication: { otp: { disclaimer: false } } }))).toStrictEqual({
      body: { type: 'authentication', authentication: { otp: { disclaimer: false } } },
    });
  });

  it('permissionRequest: the `action` body with the variant object inside, as the emulator accepts it', () => {
    const wire = toWireContent(body({ permissionRequest: { resource: 'call' } }));
    expect(wire).toStrictEqual({
      body: { type: 'action', action: { type: 'permission_request', permission_request: { resource: 'call' } } },
    });
    expectAccepted(wire);
  });
});

describe('toWireContent: template', () => {
  it('every field, with variables as a map and UTM parameters as value or reference', () => {
    const wire = toWireContent(
      template({
        name: 'order_update',
        projectId: '7d3c8f2a-1b4e-4c5d-9e6f-0a1b2c3d4e5f',
        version: 'latest',
        locale: 'pt-BR',
        parameters: [
          { type: 'string', key: 'name', value: 'Robert' },
          { type: 'number', key: 'total', value: 12.5 },
        ],
        variables: [{ key: 'default', value: 'friend' }],
        attachments: [{ mediaUrl: u(PDF), filename: 'invoice.pdf', inline: false }],
        utmParameters: [
          { key: 'utm_source', value: 'bird' },
          { key: 'utm_medium', reference: 'platform_name' },
        ],
        shortLinks: { enabled: true, domain: 'default' },
        settings: { disallowMmLite: true },
      }),
    );
    expect(wire).toStrictEqual({
      template: {
        name: 'order_update',
        projectId: '7d3c8f2a-1b4e-4c5d-9e6f-0a1b2c3d4e5f',
        version: 'latest',
        locale: 'pt-BR',
        attachments: [{ mediaUrl: PDF, filename: 'invoice.pdf', inline: false }],
        shortLinks: { enabled: true, domain: 'default' },
        variables: { default: 'friend' },
        utmParameters: [
          { key: 'utm_source', value: 'bird' },
          { key: 'utm_medium', reference: 'platform_name' },
        ],
        parameters: [
          { type: 'string', key: 'name', value: 'Robert' },
          { type: 'number', key: 'total', value: 12.5 },
        ],
        settings: { disallowMmLite: true },
      },
    });
    expectAccepted(wire);
  });

  it('a name alone', () => {
    const wire = toWireContent(template({ name: 'welcome', projectId: null, parameters: null }));
    expect(wire).toStrictEqual({ template: { name: 'welcome' } });
    expectAccepted(wire);
  });

  it('throws on a content with no kind (validateContent reports it first)', () => {
    expect(() => toWireContent({} as MessageContentInputShape)).toThrow(TypeError);
    expect(check({} as MessageContentInputShape)).toEqual(oneError([]));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------------

describe('validateContent: valid inputs give no errors', () => {
  it.each([
    ['text', body({ text: { text: 'Hi', actions: [{ link: { text: 'Go', url: '{{link}}' } }] } })],
    ['html (html only)', body({ html: { html: '<p>Hi</p>' } })],
    ['image', body({ image: { images: [{ mediaUrl: u(PNG) }] } })],
    ['file', body({ file: { files: [{ mediaUrl: u(PDF), contentType: 'application/pdf' }] } })],
    ['location at the edges', body({ location: { coordinates: { latitude: -90, longitude: 180 } } })],
    ['carousel of one (not WhatsApp)', body({ carousel: { items: [{ title: 'A' }] } })],
    ['list', body({ list: { text: 'Pick', buttonLabel: 'x'.repeat(20) } })],
    ['section', body({ section: { contents: [{ location: { coordinates: { latitude: 1, longitude: 2 } } }] } })],
    ['authentication', body({ authentication: { otp: { disclaimer: true, expirationTime: 90 } } })],
    ['permission request', body({ permissionRequest: { resource: 'call' } })],
    ['template by project and version uuid', template({ projectId: '7d3c8f2a-1b4e-4c5d-9e6f-0a1b2c3d4e5f', version: '0f1e2d3c-4b5a-4968-8776-655443322110' })],
  ])('%s', (_name, input) => {
    expect(check(input)).toEqual([]);
  });

  it('counts characters as code points, like Bird: 1,024 emoji are a valid carousel text', () => {
    expect(check(body({ carousel: { text: '😀'.repeat(1024), items: [{ title: 'A' }] } }))).toEqual([]);
  });
});

describe('validateContent: one rule per case, with the path relative to the content', () => {
  it('text must not be empty', () => {
    expect(check(body({ text: { text: '' } }))).toEqual(oneError(['body', 'text', 'text']));
  });

  it('html needs text or html, each non-empty', () => {
    expect(check(body({ html: { subject: 'Hi' } }))).toEqual(oneError(['body', 'html']));
    expect(check(body({ html: { text: '', html: '<p>x</p>' } }))).toEqual(oneError(['body', 'html', 'text']));
  });

  it('images and files: at least one', () => {
    expect(check(body({ image: { images: [] } }))).toEqual(oneError(['body', 'image', 'images']));
    expect(check(body({ file: { files: [] } }))).toEqual(oneError(['body', 'file', 'files']));
  });

  it('SMS/MMS: at most 10 images (other platforms: no such limit)', () => {
    const eleven = body({ image: { images: Array.from({ length: 11 }, () => ({ mediaUrl: u(PNG) })) } });
    expect(check(eleven, 'sms')).toEqual(oneError(['body', 'image', 'images']));
    expect(check(eleven, 'whatsapp')).toEqual([]);
  });

  it('carousel: 1 to 10 cards, text at most 1,024 characters', () => {
    const card = { title: 'A' };
    expect(check(body({ carousel: { items: [] } }))).toEqual(oneError(['body', 'carousel', 'items']));
    expect(check(body({ carousel: { items: Array(11).fill(card) } }))).toEqual(oneError(['body', 'carousel', 'items']));
    expect(check(body({ carousel: { text: 'x'.repeat(1025), items: [card] } }))).toEqual(oneError(['body', 'carousel', 'text']));
  });

  describe('WhatsApp carousels', () => {
    const card = (over: Record<string, unknown> = {}) => ({
      title: 'Shoe',
      mediaUrl: u(PNG),
      actions: [{ link: { text: 'View', url: 'https://shop.example.com' } }],
      ...over,
    });
    const carousel = (items: ReturnType<typeof card>[]) => body({ carousel: { items } });

    it('2 to 10 well-formed cards pass', () => {
      expect(check(carousel([card(), card()]), 'whatsapp')).toEqual([]);
    });
    it('one card is too few (elsewhere it is fine)', () => {
      expect(check(carousel([card()]), 'whatsapp')).toEqual(oneError(['body', 'carousel', 'items']));
      expect(check(carousel([card()]), 'telegram')).toEqual([]);
    });
    it('every card needs a title', () => {
      expect(check(carousel([card(), card({ title: null })]), 'whatsapp')).toEqual(oneError(['body', 'carousel', 'items', '1', 'title']));
    });
    it('every card needs media', () => {
      expect(check(carousel([card({ mediaUrl: undefined }), card()]), 'whatsapp')).toEqual(
        oneError(['body', 'carousel', 'items', '0', 'mediaUrl']),
      );
    });
    it('every card has exactly one action, a link', () => {
      const two = card({ actions: [...card().actions, ...card().actions] });
      const reply = card({ actions: [{ reply: { text: 'Yes' } }] });
      expect(check(carousel([card(), two]), 'whatsapp')).toEqual(oneError(['body', 'carousel', 'items', '1', 'actions']));
      expect(check(carousel([reply, card()]), 'whatsapp')).toEqual(oneError(['body', 'carousel', 'items', '0', 'actions']));
    });
  });

  it('location: latitude −90..90, longitude −180..180', () => {
    expect(check(body({ location: { coordinates: { latitude: 90.5, longitude: 0 } } }))).toEqual(
      oneError(['body', 'location', 'coordinates', 'latitude']),
    );
    expect(check(body({ location: { coordinates: { latitude: 0, longitude: -180.01 } } }))).toEqual(
      oneError(['body', 'location', 'coordinates', 'longitude']),
    );
  });

  it('authentication: expirationTime 1..90', () => {
    const otp = (expirationTime: number) => body({ authentication: { otp: { disclaimer: true, expirationTime } } });
    expect(check(otp(0))).toEqual(oneError(['body', 'authentication', 'otp', 'expirationTime']));
    expect(check(otp(91))).toEqual(oneError(['body', 'authentication', 'otp', 'expirationTime']));
    expect(check(otp(1))).toEqual([]);
  });

  it('buy: currency is three letters, amountCents not negative', () => {
    const buy = (currency: string, amountCents: number) => body({ text: { text: 'x', actions: [{ buy: { text: 'Buy', currency, amountCents } }] } });
    expect(check(buy('EURO', 100))).toEqual(oneError(['body', 'text', 'actions', '0', 'buy', 'currency']));
    expect(check(buy('E1R', 100))).toEqual(oneError(['body', 'text', 'actions', '0', 'buy', 'currency']));
    expect(check(buy('EUR', -1))).toEqual(oneError(['body', 'text', 'actions', '0', 'buy', 'amountCents']));
    expect(check(buy('usd', 0))).toEqual([]);
  });

  it('reply and postback: descriptionLabel at most 72 characters', () => {
    const label = 'x'.repeat(73);
    expect(check(body({ list: { text: 'x', actions: [{ reply: { text: 'a', descriptionLabel: label } }] } }))).toEqual(
      oneError(['body', 'list', 'actions', '0', 'reply', 'descriptionLabel']),
    );
    expect(check(body({ list: { text: 'x', actions: [{ postback: { text: 'a', descriptionLabel: label } }] } }))).toEqual(
      oneError(['body', 'list', 'actions', '0', 'postback', 'descriptionLabel']),
    );
  });

  it('list: buttonLabel at most 20, replyMessage title and text at most 512', () => {
    expect(check(body({ list: { text: 'x', buttonLabel: 'x'.repeat(21) } }))).toEqual(oneError(['body', 'list', 'buttonLabel']));
    expect(check(body({ list: { text: 'x', replyMessage: { title: 'x'.repeat(513) } } }))).toEqual(
      oneError(['body', 'list', 'replyMessage', 'title']),
    );
    expect(check(body({ list: { text: 'x', replyMessage: { text: 'x'.repeat(513) } } }))).toEqual(
      oneError(['body', 'list', 'replyMessage', 'text']),
    );
  });

  it('template: needs name or projectId', () => {
    expect(check(template({ locale: 'en' }))).toEqual(oneError(['template']));
  });

  it("template: version is a UUID or 'latest'", () => {
    expect(check(template({ name: 'x', version: 'v2' }))).toEqual(oneError(['template', 'version']));
    expect(check(template({ name: 'x', version: 'latest' }))).toEqual([]);
  });

  it('template: parameter keys are not empty, values fit their type', () => {
    expect(check(template({ name: 'x', parameters: [{ type: 'string', key: '' }] }))).toEqual(
      oneError(['template', 'parameters', '0', 'key']),
    );
    expect(check(template({ name: 'x', parameters: [{ type: 'number', key: 'n', value: '12' }] }))).toEqual(
      oneError(['template', 'parameters', '0', 'value']),
    );
    expect(check(template({ name: 'x', parameters: [{ type: 'sectionList', key: 's', value: { items: [] } }] }))).toEqual(
      oneError(['template', 'parameters', '0', 'value']),
    );
    expect(check(template({ name: 'x', parameters: [{ type: 'futureKind', key: 'f', value: [1] }] }))).toEqual([]);
  });

  it('template: locale is BCP 47; UTM parameters 1–8, each with exactly one of value and reference', () => {
    expect(check(template({ name: 'x', locale: 'english!' }))).toEqual(oneError(['template', 'locale']));
    expect(check(template({ name: 'x', utmParameters: [] }))).toEqual(oneError(['template', 'utmParameters']));
    expect(check(template({ name: 'x', utmParameters: [{ key: 'utm_source' }] }))).toEqual(oneError(['template', 'utmParameters', '0']));
    expect(check(template({ name: 'x', utmParameters: [{ key: 'k'.repeat(21), value: 'v' }] }))).toEqual(
      oneError(['template', 'utmParameters', '0', 'key']),
    );
  });

  it('template: each variable key once', () => {
    const variables = [
      { key: 'a', value: '1' },
      { key: 'a', value: '2' },
    ];
    expect(check(template({ name: 'x', variables }))).toEqual(oneError(['template', 'variables', '1', 'key']));
  });

  it('section: at least one part, and each part is checked like a body', () => {
    expect(check(body({ section: { contents: [] } }))).toEqual(oneError(['body', 'section', 'contents']));
    expect(check(body({ section: { contents: [{ image: { images: [{ mediaUrl: u(PNG) }] } }, { text: { text: '' } }] } }))).toEqual(
      oneError(['body', 'section', 'contents', '1', 'text', 'text']),
    );
    expect(check(body({ section: { contents: [{ text: { text: 'a' } }], configurations: { default: 1 } } }))).toEqual(
      oneError(['body', 'section', 'configurations', 'default']),
    );
  });

  it('attachments: a mediaUrl or inline content, not both and not neither', () => {
    const html = (attachment: Record<string, unknown>) =>
      body({ html: { text: 'x', attachments: [{ filename: 'a.txt', ...attachment }] } });
    expect(check(html({ mediaUrl: u(PDF), content: 'aGVsbG8=', contentType: 'text/plain' }))).toEqual(
      oneError(['body', 'html', 'attachments', '0']),
    );
    expect(check(html({}))).toEqual(oneError(['body', 'html', 'attachments', '0']));
    expect(check(html({ content: 'aGVsbG8=', contentType: 'text/plain' }))).toEqual([]);
    expect(check(html({ content: 'aGVsbG8=' }))).toEqual(oneError(['body', 'html', 'attachments', '0', 'contentType']));
    expect(check(html({ content: 'not base64!', contentType: 'text/plain' }))).toEqual(
      oneError(['body', 'html', 'attachments', '0', 'content']),
    );
  });

  it('attachments: inline content only on html bodies; no contentId on template sends', () => {
    expect(
      check(body({ text: { text: 'x', attachments: [{ filename: 'a', mediaUrl: u(PDF), contentType: 'application/pdf' }] } })),
    ).toEqual(oneError(['body', 'text', 'attachments', '0', 'contentType']));
    expect(check(template({ name: 'x', attachments: [{ filename: 'a', mediaUrl: u(PDF), contentId: 'c' }] }))).toEqual(
      oneError(['template', 'attachments', '0', 'contentId']),
    );
  });

  it('email headers: one line each, each name once', () => {
    const headers = [
      { name: 'X-A', value: 'ok' },
      { name: 'x-a', value: 'again' },
      { name: 'X-B', value: 'two\r\nBcc: victim@example.com' },
    ];
    expect(check(body({ text: { text: 'x', headers } }))).toEqual([
      { path: ['body', 'text', 'headers', '1', 'name'], message: expect.any(String) },
      { path: ['body', 'text', 'headers', '2', 'value'], message: expect.any(String) },
    ]);
  });

  it('html: sender username is letters, digits and _ . - / +', () => {
    expect(check(body({ html: { text: 'x', emailFrom: { username: 'news letter' } } }))).toEqual(
      oneError(['body', 'html', 'emailFrom', 'username']),
    );
    expect(check(body({ html: { text: 'x', emailFrom: { username: 'news-letter+spring' } } }))).toEqual([]);
  });

  it('link urls: a {{variable}} template or an absolute http(s) URL (recipients open them, Bird does not fetch them)', () => {
    const link = (url: string) => body({ text: { text: 'x', actions: [{ link: { text: 'Go', url } }] } });
    for (const url of ['https://example.com/a', 'http://example.com/a', '{{url}}', 'https://example.com/?c={{code}}']) {
      expect(check(link(url)), url).toEqual([]);
    }
    for (const url of ['example.com', '/relative', 'javascript:alert(1)', '']) {
      expect(check(link(url)), url).toEqual(oneError(['body', 'text', 'actions', '0', 'link', 'url']));
    }
  });

  it('exactly one kind per @oneOf input, for callers that bypass GraphQL validation', () => {
    const two = { text: { text: 'a' }, html: { text: 'b' } } as unknown as MessageBodyInputShape;
    expect(check(body(two))).toEqual(oneError(['body']));
    const both = { body: { text: { text: 'a' } }, template: { name: 'x' } } as unknown as MessageContentInputShape;
    expect(check(both)).toEqual(oneError([]));
    const action = { link: { text: 'a', url: 'https://a.example' }, reply: { text: 'b' } };
    expect(check(body({ text: { text: 'x', actions: [action as never] } }))).toEqual(oneError(['body', 'text', 'actions', '0']));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Media URLs
// ---------------------------------------------------------------------------------------------------------------

describe('media URLs: only public absolute https URLs, or Bird media', () => {
  const isBirdMedia = options().isAllowedMediaUrl;

  it.each([
    'http://cdn.example.com/a.png',
    'https://127.0.0.1/a.png',
    'https://10.0.0.1/a.png',
    'https://[::1]/a.png',
    'https://localhost/a.png',
    'https://user:pw@cdn.example.com/a.png',
    'not a url',
    'file:///etc/passwd',
    // the same hosts spelled otherwise, and the other non-public ranges
    'https://localhost./a.png',
    'https://LOCALHOST/a.png',
    'https://0x7f.1/a.png',
    'https://2130706433/a.png',
    'https://[::ffff:127.0.0.1]/a.png',
    'https://[::]/a.png',
    'https://0.0.0.0/a.png',
    'https://169.254.169.254/latest/meta-data/',
    'https://172.16.0.1/a.png',
    'https://172.31.255.255/a.png',
    'https://192.168.1.1/a.png',
    'https://100.64.0.1/a.png',
    'https://[fd00::1]/a.png',
    'https://[fc00::1]/a.png',
    'https://[fe80::1]/a.png',
    'https://[64:ff9b::a00:1]/a.png',
    'https://metadata.google.internal/a.png',
    'https://printer.local/a.png',
    'https://app.localhost/a.png',
    'https://intranet/a.png',
    'ftp://cdn.example.com/a.png',
    'data:image/png;base64,aGVsbG8=',
    'http://127.0.0.1:4011/media/a', // the emulator's port, but not its origin
  ])('refuses %s', (url) => {
    expect(mediaUrlProblem(url, isBirdMedia)).toMatch(/^Media URLs must be public absolute https URLs: Bird downloads them\./);
  });

  it.each([
    'https://cdn.example.com/a.png',
    'https://media.api.bird.com/workspaces/w/channels/c/media/m',
    'https://8.8.8.8/a.png',
    'https://172.32.0.1/a.png',
    'https://[2606:4700:4700::1111]/a.png',
    'https://cdn.example.com:8443/a.png?sig=1',
  ])('accepts %s', (url) => {
    expect(mediaUrlProblem(url, isBirdMedia)).toBeNull();
  });

  it("accepts Bird's own media host when the caller allows it, even over http (the demo emulator)", () => {
    const url = `${EMULATOR_MEDIA}/workspaces/w/channels/c/media/m`;
    expect(mediaUrlProblem(url, isBirdMedia)).toBeNull();
    expect(mediaUrlProblem(url, () => false)).not.toBeNull();
    expect(check(body({ image: { images: [{ mediaUrl: u(url) }] } }))).toEqual([]);
  });

  it('checks every media URL of a content, each at its own path', () => {
    const bad = u('https://127.0.0.1/x.png');
    const cases: [MessageContentInputShape, string[]][] = [
      [body({ image: { images: [{ mediaUrl: u(PNG) }, { mediaUrl: bad }] } }), ['body', 'image', 'images', '1', 'mediaUrl']],
      [body({ file: { files: [{ mediaUrl: bad, contentType: 'application/pdf' }] } }), ['body', 'file', 'files', '0', 'mediaUrl']],
      [body({ gif: { mediaUrl: bad } }), ['body', 'gif', 'mediaUrl']],
      [body({ carousel: { items: [{ mediaUrl: bad }] } }), ['body', 'carousel', 'items', '0', 'mediaUrl']],
      [body({ list: { text: 'x', items: [{ mediaUrl: bad }] } }), ['body', 'list', 'items', '0', 'mediaUrl']],
      [body({ text: { text: 'x', attachments: [{ mediaUrl: bad, filename: 'a' }] } }), ['body', 'text', 'attachments', '0', 'mediaUrl']],
      [body({ html: { text: 'x', attachments: [{ mediaUrl: bad, filename: 'a' }] } }), ['body', 'html', 'attachments', '0', 'mediaUrl']],
      [template({ name: 'x', attachments: [{ mediaUrl: bad, filename: 'a' }] }), ['template', 'attachments', '0', 'mediaUrl']],
      [
        body({ text: { text: 'x', actions: [{ reply: { text: 'a', imageUrl: bad } }] } }),
        ['body', 'text', 'actions', '0', 'reply', 'imageUrl'],
      ],
      [
        body({ authentication: { otp: { disclaimer: true, actions: [{ postback: { text: 'a', imageUrl: bad } }] } } }),
        ['body', 'authentication', 'otp', 'actions', '0', 'postback', 'imageUrl'],
      ],
      [
        body({ carousel: { items: [{ actions: [{ reply: { text: 'a', imageUrl: bad } }] }] } }),
        ['body', 'carousel', 'items', '0', 'actions', '0', 'reply', 'imageUrl'],
      ],
      [
        body({ section: { contents: [{ gif: { mediaUrl: bad } }] } }),
        ['body', 'section', 'contents', '0', 'gif', 'mediaUrl'],
      ],
    ];
    for (const [input, path] of cases) {
      expect(check(input), path.join('.')).toEqual([
        { path, message: 'Media URLs must be public absolute https URLs: Bird downloads them. This one points to a loopback, private or local address.' },
      ]);
    }
  });

  it('refuses strings that are not URLs, from callers that bypass the URL scalar', () => {
    const input = body({ gif: { mediaUrl: 'not a url' as unknown as URL } });
    expect(check(input)).toEqual(oneError(['body', 'gif', 'mediaUrl']));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------------------------

describe('the input types in the schema', () => {
  // builder.toSchema() is the same type graph as buildSchema() without the federation wrapping, which refuses an
  // empty Mutation type until a mutation using these inputs is imported by src/schema/index.ts.
  const schema = builder.toSchema({ sortSchema: true });
  const inputType = (name: string) => {
    const type = schema.getType(name);
    if (!isInputObjectType(type)) throw new Error(`${name} is not an input type`);
    return type;
  };

  it('exist, described, with @oneOf exactly where a kind is chosen', () => {
    const oneOf = ['MessageContentInput', 'MessageBodyInput', 'SectionItemInput', 'MessageActionInput'];
    const names = Object.keys(schema.getTypeMap()).filter((name) =>
      /^(?:Message(?:Content|Body|Action|Image|File|Attachment)Input|\w+BodyInput|\w+ActionInput|Template\w*Input|SectionItemInput|ContentItemInput|EmailHeaderInput|EmailSenderInput|GeoCoordinatesInput|ListReplyMessageInput|AuthenticationOtpInput|LineEmojiInput|UtmParameterInput)$/.test(name),
    );
    expect(names.length).toBeGreaterThanOrEqual(35);
    for (const name of names) {
      const type: GraphQLInputObjectType = inputType(name);
      expect(type.isOneOf, name).toBe(oneOf.includes(name));
      expect(type.description, name).toBeTruthy();
      for (const field of Object.values(type.getFields())) expect(field.description, `${name}.${field.name}`).toBeTruthy();
    }
    expect(Object.keys(inputType('MessageBodyInput').getFields()).sort()).toEqual(
      ['authentication', 'carousel', 'file', 'gif', 'html', 'image', 'list', 'location', 'permissionRequest', 'section', 'text'],
    );
    expect(Object.keys(inputType('SectionItemInput').getFields())).not.toContain('section');
  });

  // A scratch schema whose one field takes the real MessageContentInput and returns the wire JSON.
  const scratch = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        wire: {
          type: GraphQLString,
          args: { content: { type: new GraphQLNonNull(inputType('MessageContentInput')) } },
          resolve: (_root, args: { content: MessageContentInputShape }) => JSON.stringify(toWireContent(args.content)),
        },
      },
    }),
  });
  const run = (source: string, variableValues?: Record<string, unknown>) =>
    execute({ schema: scratch, document: parse(source), variableValues });

  it('GraphQL validation refuses two body kinds at once (@oneOf)', () => {
    const errors = validate(scratch, parse('{ wire(content: { body: { text: { text: "a" }, html: { text: "b" } } }) }'));
    expect(errors.map((e) => e.message)).toEqual(['OneOf Input Object "MessageBodyInput" must specify exactly one key.']);
    expect(validate(scratch, parse('{ wire(content: { body: { text: { text: "a" } }, template: { name: "x" } }) }'))).toHaveLength(1);
    expect(validate(scratch, parse('{ wire(content: { body: { text: { text: "a" } } }) }'))).toEqual([]);
  });

  it('from variables to wire JSON: enums, defaults and URL scalars arrive as the converters expect', async () => {
    const result = await run('query ($c: MessageContentInput!) { wire(content: $c) }', {
      c: {
        body: {
          section: {
            contents: [
              { text: { text: 'Hi', telegramParseMode: 'MARKDOWN_V2', actions: [{ link: { text: 'Go', url: '{{u}}' } }] } },
              { image: { images: [{ mediaUrl: 'https://cdn.example.com/a.png' }] } },
            ],
          },
        },
      },
    });
    expect(result.errors).toBeUndefined();
    expect(JSON.parse(result.data?.wire as string)).toStrictEqual({
      body: {
        type: 'section',
        section: {
          items: [
            {
              type: 'text',
              text: {
                text: 'Hi',
                actions: [{ type: 'link', link: { text: 'Go', url: '{{u}}' } }],
                metadata: { telegram: { parseMode: 'MarkdownV2' } },
              },
            },
            { type: 'image', image: { images: [{ mediaUrl: 'https://cdn.example.com/a.png' }] } },
          ],
        },
      },
    });
    const defaults = await run('{ a: wire(content: { body: { permissionRequest: {} } }) b: wire(content: { template: { name: "t", parameters: [{ key: "k", value: "v" }] } }) }');
    expect(defaults.errors).toBeUndefined();
    expect(JSON.parse(defaults.data?.a as string)).toStrictEqual({
      body: { type: 'action', action: { type: 'permission_request', permission_request: { resource: 'call' } } },
    });
    expect(JSON.parse(defaults.data?.b as string)).toStrictEqual({
      template: { name: 't', parameters: [{ type: 'string', key: 'k', value: 'v' }] },
    });
  });
});
