// Deterministic seed data for the emulator (fixed UUIDs and timestamps, a seeded PRNG, no Date.now) and the SEED ids tests and the demo name.
//
// Media URLs depend on the emulator's port, so the generators take the origin: `seedStore(store)` renders them with
// `store.origin` when loading (the server creates the store after it knows its port). SEED itself holds only paths.
import type { Channel, Contact, Interaction, Message, MessageBody, MessageStatus, Workspace } from '../bird/types.ts';
import type { Store } from './store.ts';

// ---------------------------------------------------------------------------------------------------------------
// Fixed ids and clock
// ---------------------------------------------------------------------------------------------------------------

/** The seed's "now": every seeded timestamp lies in the 60 days before it. */
const SEED_NOW = Date.parse('2025-06-30T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

const ORGANIZATION_ID = '5f3c2a10-8d4e-4b6f-9a1c-0e7d2b4c6a80';

const WORKSPACES = {
  main: { id: '0b6e3f4a-2c1d-4e8f-a5b7-91d2c3e4f501', name: 'Acme Main' },
  second: { id: '1c7f4a5b-3d2e-4f90-b6c8-a2e3d4f50612', name: 'Acme Support' },
  third: { id: '2d805b6c-4e3f-4a01-87d9-b3f4e5061723', name: 'Acme Labs' },
} as const;

/** A seeded channel as SEED describes it. */
export interface ChannelSeed {
  id: string;
  workspaceId: string;
  platformId: string;
  name: string;
  connectorId: string;
  identifier: string;
  status: Channel['status'];
  useCaseType: Channel['useCaseType'];
}

const CHANNELS = {
  sms: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f601',
    workspaceId: WORKSPACES.main.id,
    platformId: 'sms',
    name: 'Acme SMS',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a01',
    identifier: '+3197010250000',
    status: 'active',
    useCaseType: 'transactional',
  },
  email: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f602',
    workspaceId: WORKSPACES.main.id,
    platformId: 'email',
    name: 'Acme Email',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a02',
    identifier: 'hello@acme.example',
    status: 'active',
    useCaseType: 'marketing',
  },
  whatsapp: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f603',
    workspaceId: WORKSPACES.main.id,
    platformId: 'whatsapp',
    name: 'Acme WhatsApp',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a03',
    identifier: '+31201234567',
    status: 'active',
    useCaseType: 'conversation',
  },
  telegram: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f604',
    workspaceId: WORKSPACES.main.id,
    platformId: 'telegram',
    name: 'Acme Telegram',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a04',
    identifier: 'acme_bot',
    status: 'active',
    useCaseType: null,
  },
  inactiveSms: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f605',
    workspaceId: WORKSPACES.main.id,
    platformId: 'sms',
    name: 'Legacy SMS',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a05',
    identifier: '+3197010259999',
    status: 'inactive',
    useCaseType: 'transactional',
  },
  secondSms: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f611',
    workspaceId: WORKSPACES.second.id,
    platformId: 'sms',
    name: 'Support SMS',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a11',
    identifier: '+3197010251111',
    status: 'active',
    useCaseType: 'conversation',
  },
  secondEmail: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f612',
    workspaceId: WORKSPACES.second.id,
    platformId: 'email',
    name: 'Support Email',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a12',
    identifier: 'support@acme.example',
    status: 'active',
    useCaseType: 'conversation',
  },
  thirdWhatsapp: {
    id: 'c1a2b3c4-d5e6-4f70-8a91-b2c3d4e5f621',
    workspaceId: WORKSPACES.third.id,
    platformId: 'whatsapp',
    name: 'Labs WhatsApp',
    connectorId: 'e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a21',
    identifier: '+31209876543',
    status: 'setting-up',
    useCaseType: 'marketing',
  },
} as const satisfies Record<string, ChannelSeed>;

/** A 4×4 RGB PNG, the bytes of the seeded incoming image. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAKklEQVR4nA3JQREAAAyDsAqrsArDH9uPCzGxcZGv1NZV3jI7N/kbLA7hAIKCGzH7nd/qAAAAAElFTkSuQmCC';
const TEXT_FILE = 'Booking confirmation 4711\nArrival: 2025-07-04\n';

const INCOMING_IMAGE = {
  id: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c01',
  channelId: CHANNELS.whatsapp.id,
  mediaId: 'f0e1d2c3-b4a5-4968-8776-655443322101',
};
const INCOMING_FILE = {
  id: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c02',
  channelId: CHANNELS.whatsapp.id,
  mediaId: 'f0e1d2c3-b4a5-4968-8776-655443322102',
};
const mediaPath = (m: { id: string; mediaId: string }) => `/workspaces/${WORKSPACES.main.id}/messages/${m.id}/media/${m.mediaId}`;

const SMS_PROMO_BATCH = 'b0a1c2d3-e4f5-4a6b-9c7d-8e9f0a1b2c01';

// ---------------------------------------------------------------------------------------------------------------
// Deterministic generation
// ---------------------------------------------------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, so "random-looking" data is identical on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Gen {
  random: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
  uuid: () => string;
}

function generator(seed: number): Gen {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  return {
    random,
    int,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
    uuid: () => {
      const b = Array.from({ length: 16 }, () => int(256));
      b[6] = ((b[6] as number) & 0x0f) | 0x40;
      b[8] = ((b[8] as number) & 0x3f) | 0x80;
      const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

interface ContactSeed {
  id: string;
  workspaceId: string;
  name: string;
  phone: string;
  email?: string;
  createdAt: string;
}

const FIRST = ['Anna', 'Bram', 'Chloé', 'Daan', 'Eva', 'Finn', 'Gwen', 'Hugo', 'Iris', 'Jens', 'Kim', 'Lars', 'Mila', 'Noah', 'Olga', 'Pim', 'Quinn', 'Rosa', 'Sem', 'Tess'];
const LAST = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos', 'Vos', 'Peters'];

function contactSeeds(): ContactSeed[] {
  const g = generator(7);
  const make = (workspaceId: string, n: number, offset: number, phonePrefix: string): ContactSeed[] =>
    Array.from({ length: n }, (_, i) => {
      const first = FIRST[(i + offset) % FIRST.length] as string;
      const last = LAST[(i * 3 + offset) % LAST.length] as string;
      const slug = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
      return {
        id: g.uuid(),
        workspaceId,
        name: `${first} ${last}`,
        phone: `${phonePrefix}${String(i + 1).padStart(2, '0')}`,
        // Every fourth contact has no email address (phone-only), so identifier-dependent paths differ.
        ...(i % 4 === 3 ? {} : { email: `${slug}@example.com` }),
        createdAt: iso(SEED_NOW - 60 * DAY + (i + offset) * 3600 * 1000),
      };
    });
  return [...make(WORKSPACES.main.id, 20, 0, '+316100000'), ...make(WORKSPACES.second.id, 5, 20, '+316200000')];
}

const CONTACTS = contactSeeds();
const MAIN_CONTACTS = CONTACTS.filter((c) => c.workspaceId === WORKSPACES.main.id);
const SECOND_CONTACTS = CONTACTS.filter((c) => c.workspaceId === WORKSPACES.second.id);

const TAGS = ['promo', 'otp', 'newsletter', 'support', 'billing', 'reminder'] as const;
const SMS_TEXTS = [
  'Your verification code is {n}.',
  'Your order #{n} has shipped.',
  'Reminder: your appointment is tomorrow at {h}:00.',
  'Thanks for your payment of EUR {n}.',
  'Hi! Can I change my delivery address?',
  'Yes please, reschedule to Friday.',
  'STOP',
  'Summer sale: 20% off until Sunday.',
];
const SUBJECTS = ['Your invoice #{n}', 'Welcome to Acme', 'Password reset request', 'Your July newsletter', 'Order #{n} confirmation', 'Re: Delivery question'];

function fill(template: string, g: Gen): string {
  return template.replace('{n}', String(1000 + g.int(9000))).replace('{h}', String(9 + g.int(8)));
}

const OUTGOING_STATUSES: readonly MessageStatus[] = [
  ...Array<MessageStatus>(10).fill('delivered'),
  'sent', 'sent', 'sent', 'accepted', 'processing', 'delivery_failed', 'delivery_failed', 'sending_failed', 'rejected', 'scheduled',
];

function connectorParty(channel: ChannelSeed) {
  return { connector: { id: channel.connectorId, identifierValue: channel.identifier } };
}

function contactKey(channel: ChannelSeed): 'emailaddress' | 'phonenumber' {
  return channel.platformId === 'email' ? 'emailaddress' : 'phonenumber';
}

function contactValue(channel: ChannelSeed, c: ContactSeed): string {
  return channel.platformId === 'email' ? (c.email as string) : c.phone;
}

/** Status-dependent fields of an outgoing message (failure details follow Bird's email docs). */
function statusFields(status: MessageStatus, createdMs: number): Partial<Message> {
  const fields: Partial<Message> = { status, lastStatusAt: iso(createdMs + (status === 'accepted' ? 0 : 40_000)) };
  if (status === 'delivery_failed') {
    fields.reason = 'bounceHard';
    fields.failure = { code: 200, description: 'The recipient could not be reached', source: { code: 'bounceHard', name: 'carrier' } };
  } else if (status === 'sending_failed') {
    fields.reason = 'generationRejection';
    fields.failure = { code: 100, description: 'The platform refused the message', source: { code: 'generationRejection', name: 'pre-processing' } };
  } else if (status === 'rejected') {
    fields.reason = 'validation failed';
    fields.failure = { code: 422, description: 'receiver.contacts.0: invalid phone number', source: { code: 'ValidationError', name: 'pre-processing' } };
  } else if (status === 'scheduled') {
    fields.scheduledFor = iso(createdMs + 2 * DAY);
  }
  fields.updatedAt = fields.lastStatusAt;
  return fields;
}

/** One message between `channel` and `contact`; `body` absent means a template send. */
function message(
  g: Gen,
  channel: ChannelSeed,
  contact: ContactSeed,
  createdMs: number,
  direction: 'incoming' | 'outgoing',
  content: { body?: MessageBody; template?: Message['template']; meta?: Message['meta'] },
  extra: Partial<Message> = {},
): Message {
  const key = contactKey(channel);
  const value = contactValue(channel, contact);
  const createdAt = iso(createdMs);
  const base = {
    id: g.uuid(),
    channelId: channel.id,
    ...content,
    direction,
    createdAt,
  };
  if (direction === 'incoming') {
    return {
      ...base,
      sender: { contact: { id: contact.id, identifierKey: key, identifierValue: value } },
      receiver: connectorParty(channel),
      status: 'delivered',
      lastStatusAt: createdAt,
      updatedAt: createdAt,
      ...extra,
    };
  }
  const status = extra.status ?? (g.pick(OUTGOING_STATUSES) as MessageStatus);
  return {
    ...base,
    sender: connectorParty(channel),
    receiver: { contacts: [{ id: contact.id, identifierKey: key, identifierValue: value }] },
    ...statusFields(status, createdMs),
    ...extra,
  } as Message;
}

function tagsFor(g: Gen): { tags?: string[] } {
  const n = g.int(3);
  if (n === 0) return {};
  const tags = new Set<string>();
  while (tags.size < n) tags.add(g.pick(TAGS));
  return { tags: [...tags] };
}

/** The main SMS channel: 420 messages over the 30 days before SEED_NOW (some sharing a createdAt, to exercise the id tiebreak). */
function smsMessages(): Message[] {
  const g = generator(42);
  const channel = CHANNELS.sms;
  const out: Message[] = [];
  const total = 420;
  let previousMs = 0;
  for (let i = 0; i < total; i++) {
    let createdMs = SEED_NOW - 30 * DAY + Math.floor((i * 30 * DAY) / total) + g.int(3_600_000);
    if (i % 40 === 39) createdMs = previousMs; // same instant as the previous message
    previousMs = createdMs;
    const contact = g.pick(MAIN_CONTACTS);
    const inBatch = i >= 100 && i < 105;
    const direction = inBatch ? 'outgoing' : g.random() < 0.4 ? 'incoming' : 'outgoing';
    const extra: Partial<Message> = direction === 'outgoing' ? { ...tagsFor(g) } : {};
    if (inBatch) {
      extra.batchId = SMS_PROMO_BATCH;
      extra.tags = ['promo'];
      extra.status = 'delivered';
    }
    if (direction === 'outgoing' && i % 7 === 0) extra.reference = `order-${1000 + i}`;
    out.push(message(g, channel, contact, createdMs, direction, { body: { type: 'text', text: { text: fill(g.pick(SMS_TEXTS), g) } } }, extra));
  }
  return out;
}

function emailMessages(): { messages: Message[]; interactions: Interaction[] } {
  const g = generator(1337);
  const channel = CHANNELS.email;
  const withEmail = MAIN_CONTACTS.filter((c) => c.email);
  const messages: Message[] = [];
  for (let i = 0; i < 36; i++) {
    const createdMs = SEED_NOW - 28 * DAY + i * 18 * 3600 * 1000 + g.int(600_000);
    const contact = g.pick(withEmail);
    const subject = fill(g.pick(SUBJECTS), g);
    if (i % 6 === 5) {
      messages.push(
        message(g, channel, contact, createdMs, 'incoming', {
          body: { type: 'html', html: { text: 'Hello, a question about my order.', html: '<p>Hello, a question about my order.</p>', metadata: { subject } } },
        }),
      );
      continue;
    }
    // Subjects live either in meta.email.subject or in the html body's metadata, both as Bird allows.
    const inMeta = i % 2 === 0;
    const body: MessageBody = {
      type: 'html',
      html: {
        html: `<h1>${subject}</h1><p>Dear ${contact.name},</p><p>Thank you for choosing Acme.</p>`,
        text: `${subject}\n\nDear ${contact.name},\nThank you for choosing Acme.`,
        ...(inMeta ? {} : { metadata: { subject } }),
        ...(i % 3 === 0 ? { attachments: [{ mediaUrl: `https://cdn.acme.example/invoices/${1000 + i}.pdf`, filename: `invoice-${1000 + i}.pdf` }] } : {}),
      },
    };
    const m = message(g, channel, contact, createdMs, 'outgoing', { body, ...(inMeta ? { meta: { email: { subject } } } : {}) }, tagsFor(g));
    if (i % 4 === 1 && 'contacts' in m.receiver) {
      // to + cc + bcc receivers
      const cc = withEmail[(withEmail.indexOf(contact) + 1) % withEmail.length] as ContactSeed;
      const bcc = withEmail[(withEmail.indexOf(contact) + 2) % withEmail.length] as ContactSeed;
      m.receiver.contacts = [
        { ...m.receiver.contacts[0], type: 'to' },
        { id: cc.id, identifierKey: 'emailaddress', identifierValue: cc.email as string, type: 'cc' },
        { id: bcc.id, identifierKey: 'emailaddress', identifierValue: bcc.email as string, type: 'bcc' },
      ];
    } else if ('contacts' in m.receiver) {
      m.receiver.contacts = m.receiver.contacts.map((c) => ({ ...c, type: 'to' }));
    }
    messages.push(m);
  }
  const interactions: Interaction[] = [];
  const targets = messages.filter((m) => m.direction === 'outgoing' && (m.status === 'delivered' || m.status === 'sent')).slice(0, 6);
  targets.forEach((m, n) => {
    const at = Date.parse(m.createdAt);
    interactions.push(interaction(g, m, 'email', 'opened', at + 3600_000, { details: 'initial_open' }));
    if (n % 2 === 0) {
      interactions.push(
        interaction(g, m, 'email', 'clicked', at + 2 * 3600_000, { details: 'click', metadata: { link: { name: 'cta', url: 'https://acme.example/offer' } } }),
      );
    }
    if (n === 0) interactions.push(interaction(g, m, 'email', 'opened', at + 26 * 3600_000, { details: 'open' }));
  });
  return { messages, interactions };
}

function interaction(g: Gen, m: Message, platformId: string, type: Interaction['type'], atMs: number, extra: Partial<Interaction>): Interaction {
  return {
    id: g.uuid(),
    messageId: m.id,
    channelId: m.channelId,
    platformId,
    type,
    ...(m.reference !== undefined ? { messageReference: m.reference } : {}),
    messagePartsCount: 1,
    messageTags: m.tags ?? null,
    receiver: m.receiver,
    createdAt: iso(atMs),
    ...extra,
  };
}

function whatsappMessages(origin: string): { messages: Message[]; interactions: Interaction[] } {
  const g = generator(2024);
  const channel = CHANNELS.whatsapp;
  const bodies: { body?: MessageBody; template?: Message['template'] }[] = [
    { body: { type: 'text', text: { text: 'Hi! Your table for two is confirmed.' } } },
    { body: { type: 'image', image: { text: 'Your boarding pass', images: [{ mediaUrl: 'https://cdn.acme.example/img/boarding.png', altText: 'Boarding pass' }] } } },
    { body: { type: 'file', file: { text: 'Your ticket', files: [{ mediaUrl: 'https://cdn.acme.example/docs/ticket.pdf', contentType: 'application/pdf', filename: 'ticket.pdf' }] } } },
    { body: { type: 'location', location: { coordinates: { latitude: 52.3676, longitude: 4.9041 }, location: { address: 'Dam 1, Amsterdam', label: 'Acme HQ' } } } },
    {
      body: {
        type: 'list',
        list: {
          title: 'Pick a slot',
          text: 'When would you like your delivery?',
          items: [
            { title: 'Morning', description: '08:00–12:00', actions: [{ type: 'reply', reply: { text: 'Morning' } }] },
            { title: 'Afternoon', description: '12:00–18:00', actions: [{ type: 'reply', reply: { text: 'Afternoon' } }] },
          ],
          metadata: { button: { label: 'Choose' } },
        },
      },
    },
    {
      body: {
        type: 'carousel',
        carousel: {
          text: 'Our bestsellers',
          items: [
            { title: 'Red shoes', mediaUrl: 'https://cdn.acme.example/img/red.png', actions: [{ type: 'link', link: { text: 'Buy', url: 'https://acme.example/red' } }] },
            { title: 'Blue shoes', mediaUrl: 'https://cdn.acme.example/img/blue.png', actions: [{ type: 'link', link: { text: 'Buy', url: 'https://acme.example/blue' } }] },
          ],
        },
      },
    },
    { template: { projectId: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918', version: 'latest', locale: 'en', parameters: [{ type: 'string', key: 'name', value: 'Anna' }] } },
  ];
  const messages: Message[] = [];
  for (let i = 0; i < 28; i++) {
    const createdMs = SEED_NOW - 20 * DAY + i * 16 * 3600 * 1000 + g.int(600_000);
    const contact = g.pick(MAIN_CONTACTS);
    if (i % 5 === 4) {
      messages.push(message(g, channel, contact, createdMs, 'incoming', { body: { type: 'text', text: { text: 'Thanks, see you then!' } } }));
    } else {
      messages.push(message(g, channel, contact, createdMs, 'outgoing', bodies[i % bodies.length] as (typeof bodies)[number], tagsFor(g)));
    }
  }
  const anna = MAIN_CONTACTS[0] as ContactSeed;
  const imageAt = SEED_NOW - 2 * DAY;
  messages.push(
    message(
      g,
      channel,
      anna,
      imageAt,
      'incoming',
      { body: { type: 'image', image: { text: 'Is this the right one?', images: [{ mediaUrl: `${origin}${mediaPath(INCOMING_IMAGE)}`, altText: 'photo' }] } } },
      { id: INCOMING_IMAGE.id },
    ),
    message(
      g,
      channel,
      anna,
      imageAt + 60_000,
      'incoming',
      {
        body: {
          type: 'file',
          file: { files: [{ mediaUrl: `${origin}${mediaPath(INCOMING_FILE)}`, contentType: 'text/plain', filename: 'booking.txt' }] },
        },
      },
      { id: INCOMING_FILE.id },
    ),
  );
  const interactions: Interaction[] = [];
  const targets = messages.filter((m) => m.direction === 'outgoing' && m.status === 'delivered').slice(0, 5);
  targets.forEach((m, n) => {
    const at = Date.parse(m.createdAt);
    interactions.push(interaction(g, m, 'whatsapp', 'read', at + 600_000, {}));
    if (n % 2 === 0) {
      interactions.push(interaction(g, m, 'whatsapp', 'reaction', at + 900_000, { metadata: { reaction: { emoji: '👍', action: 'react' } } }));
    }
  });
  return { messages, interactions };
}

function simpleMessages(seed: number, channel: ChannelSeed, contacts: ContactSeed[], n: number, spanDays: number, text: string): Message[] {
  const g = generator(seed);
  return Array.from({ length: n }, (_, i) => {
    const createdMs = SEED_NOW - spanDays * DAY + Math.floor((i * spanDays * DAY) / n) + g.int(600_000);
    const contact = g.pick(contacts.filter((c) => channel.platformId !== 'email' || c.email));
    const body: MessageBody =
      channel.platformId === 'email'
        ? { type: 'html', html: { html: `<p>${text} #${i + 1}</p>`, metadata: { subject: `${text} #${i + 1}` } } }
        : { type: 'text', text: { text: `${text} #${i + 1}` } };
    return message(g, channel, contact, createdMs, i % 3 === 2 ? 'incoming' : 'outgoing', { body }, tagsFor(g));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------------------------

interface SeedData {
  workspaces: Workspace[];
  channels: { workspaceId: string; channel: Channel }[];
  contacts: { workspaceId: string; contact: Contact; identifiers: { key: string; value: string }[] }[];
  messages: { workspaceId: string; message: Message }[];
  interactions: { workspaceId: string; interaction: Interaction }[];
  media: { path: string; bytes: Buffer; contentType: string }[];
}

function buildSeed(origin: string): SeedData {
  // Declaration order is listing order: Bird lists newest first, so each entry is a day older than the one before.
  // The default query (src/app.ts) then opens on Acme Main and its SMS channel, the seed's richest.
  const workspaces: Workspace[] = Object.values(WORKSPACES).map((w, i) => ({
    id: w.id,
    organizationId: ORGANIZATION_ID,
    status: 'active',
    name: w.name,
    description: `${w.name} workspace (emulator seed)`,
    dataPolicy: { group: 'eu-west-1', regions: [{ region: 'eu-west-1', priority: 1 }], piiStrategy: 'default' },
    createdAt: iso(SEED_NOW - 365 * DAY - i * DAY),
    updatedAt: iso(SEED_NOW - 90 * DAY - i * DAY),
  }));
  const channels = Object.values(CHANNELS).map((c: ChannelSeed, i) => ({
    workspaceId: c.workspaceId,
    channel: {
      id: c.id,
      platformId: c.platformId,
      name: c.name,
      connectorId: c.connectorId,
      identifier: c.identifier,
      status: c.status,
      useCaseType: c.useCaseType,
      channelMessageType: c.useCaseType === 'marketing' ? 'promotional' : c.useCaseType === 'conversation' ? 'conversational' : 'transactional',
      createdAt: iso(SEED_NOW - 200 * DAY - i * DAY),
      updatedAt: iso(SEED_NOW - 100 * DAY - i * DAY),
    } satisfies Channel,
  }));
  const contacts = CONTACTS.map((c) => {
    const [firstName, ...rest] = c.name.split(' ');
    return {
      workspaceId: c.workspaceId,
      contact: {
        id: c.id,
        computedDisplayName: c.name,
        workspaceId: c.workspaceId,
        attributes: { firstName, lastName: rest.join(' '), phonenumber: [c.phone], ...(c.email ? { emailaddress: [c.email] } : {}) },
        createdAt: c.createdAt,
        updatedAt: c.createdAt,
      } satisfies Contact,
      identifiers: [{ key: 'phonenumber', value: c.phone }, ...(c.email ? [{ key: 'emailaddress', value: c.email }] : [])],
    };
  });
  const email = emailMessages();
  const whatsapp = whatsappMessages(origin);
  const mainMessages = [
    ...smsMessages(),
    ...email.messages,
    ...whatsapp.messages,
    ...simpleMessages(99, CHANNELS.telegram, MAIN_CONTACTS, 8, 10, 'Telegram update'),
    ...simpleMessages(98, CHANNELS.inactiveSms, MAIN_CONTACTS, 3, 50, 'Legacy notice'),
  ];
  const secondMessages = [
    ...simpleMessages(97, CHANNELS.secondSms, SECOND_CONTACTS, 10, 12, 'Support ticket'),
    ...simpleMessages(96, CHANNELS.secondEmail, SECOND_CONTACTS, 6, 12, 'Support case'),
  ];
  return {
    workspaces,
    channels,
    contacts,
    messages: [
      ...mainMessages.map((message) => ({ workspaceId: WORKSPACES.main.id, message })),
      ...secondMessages.map((message) => ({ workspaceId: WORKSPACES.second.id, message })),
    ],
    interactions: [...email.interactions, ...whatsapp.interactions].map((interaction) => ({ workspaceId: WORKSPACES.main.id, interaction })),
    media: [
      { path: mediaPath(INCOMING_IMAGE), bytes: Buffer.from(PNG_BASE64, 'base64'), contentType: 'image/png' },
      { path: mediaPath(INCOMING_FILE), bytes: Buffer.from(TEXT_FILE, 'utf8'), contentType: 'text/plain' },
    ],
  };
}

/** Loads the seed into a store, rendering media URLs with `store.origin`. */
export function seedStore(store: Store): void {
  const data = buildSeed(store.origin);
  for (const w of data.workspaces) store.addWorkspace(w);
  for (const c of data.channels) store.addChannel(c.workspaceId, c.channel);
  for (const c of data.contacts) store.addContact(c.workspaceId, c.contact, c.identifiers);
  for (const m of data.messages) store.addMessage(m.workspaceId, m.message);
  for (const i of data.interactions) store.addInteraction(i.workspaceId, i.interaction.messageId, i.interaction);
  for (const m of data.media) store.addMedia(m.path, m.bytes, m.contentType);
  store.addAccessKey(SEED.accessKeys.demo, 'all');
  store.addAccessKey(SEED.accessKeys.scoped, new Set([WORKSPACES.second.id]));
}

// ---------------------------------------------------------------------------------------------------------------
// SEED: everything tests and the demo refer to by name
// ---------------------------------------------------------------------------------------------------------------

const counted = buildSeed('');
const countOf = (channelId: string) => counted.messages.filter((m) => m.message.channelId === channelId).length;
const interactionsOf = (messageId: string) => counted.interactions.filter((i) => i.interaction.messageId === messageId).length;
const emailWithInteractions = counted.interactions.find((i) => i.interaction.platformId === 'email')?.interaction.messageId as string;
const whatsappWithReaction = counted.interactions.find((i) => i.interaction.type === 'reaction')?.interaction.messageId as string;

export const SEED = {
  /** The seed's reference instant: all seeded timestamps lie within the 60 days before it. */
  now: iso(SEED_NOW),
  organizationId: ORGANIZATION_ID,
  accessKeys: {
    /** Covers every workspace. */
    demo: 'demo-access-key',
    /** Covers workspace `second` only. */
    scoped: 'scoped-access-key',
  },
  workspaces: WORKSPACES as Record<keyof typeof WORKSPACES, { id: string; name: string }>,
  channels: CHANNELS as Record<keyof typeof CHANNELS, ChannelSeed>,
  /** Contacts of the main workspace (20; every fourth has no email) and of the second workspace (5). */
  contacts: MAIN_CONTACTS.map(({ id, name, phone, email }) => ({ id, name, phone, email })),
  secondContacts: SECOND_CONTACTS.map(({ id, name, phone, email }) => ({ id, name, phone, email })),
  batches: { smsPromo: SMS_PROMO_BATCH },
  messages: {
    /** Incoming WhatsApp image; its media is served at `media.path` (prefix the emulator url). */
    incomingImage: { ...INCOMING_IMAGE, workspaceId: WORKSPACES.main.id, mediaPath: mediaPath(INCOMING_IMAGE), contentType: 'image/png' },
    /** Incoming WhatsApp file (text/plain). */
    incomingFile: { ...INCOMING_FILE, workspaceId: WORKSPACES.main.id, mediaPath: mediaPath(INCOMING_FILE), contentType: 'text/plain' },
    /** An outgoing email message with opened/clicked interactions. */
    emailWithInteractions: { id: emailWithInteractions, channelId: CHANNELS.email.id, interactions: interactionsOf(emailWithInteractions) },
    /** An outgoing WhatsApp message with read + reaction interactions. */
    whatsappWithReaction: { id: whatsappWithReaction, channelId: CHANNELS.whatsapp.id, interactions: interactionsOf(whatsappWithReaction) },
  },
  media: {
    png: { base64: PNG_BASE64, contentType: 'image/png', size: Buffer.from(PNG_BASE64, 'base64').length },
    text: { content: TEXT_FILE, contentType: 'text/plain' },
  },
  counts: {
    smsMessages: countOf(CHANNELS.sms.id),
    emailMessages: countOf(CHANNELS.email.id),
    whatsappMessages: countOf(CHANNELS.whatsapp.id),
    telegramMessages: countOf(CHANNELS.telegram.id),
    inactiveSmsMessages: countOf(CHANNELS.inactiveSms.id),
    mainWorkspaceMessages: counted.messages.filter((m) => m.workspaceId === WORKSPACES.main.id).length,
    secondWorkspaceMessages: counted.messages.filter((m) => m.workspaceId === WORKSPACES.second.id).length,
    mainChannels: counted.channels.filter((c) => c.workspaceId === WORKSPACES.main.id).length,
    secondChannels: counted.channels.filter((c) => c.workspaceId === WORKSPACES.second.id).length,
    mainContacts: MAIN_CONTACTS.length,
    secondContacts: SECOND_CONTACTS.length,
    smsPromoBatch: counted.messages.filter((m) => m.message.batchId === SMS_PROMO_BATCH).length,
    interactions: counted.interactions.length,
  },
} as const;
