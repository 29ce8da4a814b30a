// The filter guard: what a list asks Bird for (the filter plus a walk's time bound) and the local check of every item Bird returns.
//
// Most of the filters' wire names are guesses (src/bird/client.ts, WIRE_NAMES): a Bird that does not know one ignores
// it, and without a check a user who asks for incoming messages would silently get all of them. So each item of every
// page is checked against the filter here. A mismatch is dropped (pagination.ts keeps cursors exact), counted per
// filter (`bird_filter_mismatches_total`) and logged once per process, so operators see which name Bird ignored.
//
// How each message filter is checked, on what Bird returns:
//   platform             the platform of the message's channel (the Channel loader: one batched call per page)
//   direction            `direction`; when Bird omits it, the sender: a connector is outgoing, a contact incoming
//   status               `status` is one of the statuses asked for
//   startAt / endAt      `createdAt` within them (inclusive); past the bound the walk moves away from, the list ends
//   senderIdentifier     any identifier of the sender (contact or connector; case-insensitive, phone numbers by digits)
//   recipientIdentifier  any identifier of a receiver, likewise
//   tag                  `tags` holds it (Bird lower-cases tags)
//   subject              the email subject (meta or body metadata) contains it, case-insensitively
//   batchId              `batchId` is it; a message without `batchId` is kept (Bird may not echo it: cannot be judged)
//   channelId            `channelId` is it
import type { Channel, ContactRef, Message, MessageListFilter, MessageReceiver, MessageSender } from '../bird/types.ts';
import type { UpstreamPageRequest, Verdict } from './pagination.ts';

/** Bird refuses a channel message list whose `startAt`..`endAt` window is longer than 7 days (bird-api.md §2a(v)). */
export const MAX_CHANNEL_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Told of every item dropped, once per failing filter: the list (`messages`, `channels`) and the filter's name. */
export type MismatchReporter = (list: string, filter: string) => void;

const INSTANT_MS = (value: string) => Date.parse(value);

/**
 * The filter a walk sends: the list's own, its time window intersected with the walk's bound. On a channel list a
 * pair wider than 7 days would be refused, so the filter's own bound on the far side is left to the local check
 * (one bound alone has no limit).
 */
export function upstreamFilter(
  filter: MessageListFilter,
  bound: UpstreamPageRequest['bound'],
  list: 'channel' | 'workspace',
): MessageListFilter {
  if (!bound) return filter;
  const result = { ...filter };
  if ('endAt' in bound) {
    if (!result.endAt || INSTANT_MS(bound.endAt) < INSTANT_MS(result.endAt)) result.endAt = bound.endAt;
  } else if (!result.startAt || INSTANT_MS(bound.startAt) > INSTANT_MS(result.startAt)) {
    result.startAt = bound.startAt;
  }
  if (list === 'channel' && result.startAt && result.endAt && INSTANT_MS(result.endAt) - INSTANT_MS(result.startAt) > MAX_CHANNEL_WINDOW_MS) {
    if ('endAt' in bound) delete result.startAt;
    else delete result.endAt;
  }
  return result;
}

const PHONE = /^\+?[\d\s().-]{6,}$/;

/** Identifiers compared the way a person means them: case-insensitive, and a phone number by its digits. */
export function sameIdentifier(a: string, b: string): boolean {
  if (PHONE.test(a) && PHONE.test(b)) return a.replace(/\D/g, '') === b.replace(/\D/g, '');
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function refIdentifiers(ref: ContactRef): string[] {
  return [ref.identifierValue, ref.platformAddress, ...(ref.identifiers ?? []).map((i) => i.identifierValue)].filter(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
}

/** Every identifier a sender or receiver carries (contact or contacts, and the connector's own address). */
export function partyIdentifiers(party: MessageSender | MessageReceiver | undefined): string[] {
  if (!party) return [];
  if ('connector' in party) return party.connector.identifierValue ? [party.connector.identifierValue] : [];
  if ('contact' in party) return refIdentifiers(party.contact);
  return (party.contacts ?? []).flatMap(refIdentifiers);
}

function subjectOf(message: Message): string | undefined {
  const body = message.body as { type: string; [kind: string]: unknown } | undefined;
  const bodyMeta = body ? (body[body.type] as { metadata?: { subject?: string } } | undefined)?.metadata : undefined;
  return message.meta?.email?.subject ?? bodyMeta?.subject;
}

function directionOf(message: Message): string | undefined {
  if (message.direction) return message.direction;
  if (!message.sender) return undefined;
  return 'connector' in message.sender ? 'outgoing' : 'incoming';
}

type Test = (message: Message) => boolean | undefined;

export interface MessageGuard {
  /** Looks up what the check needs beyond the page itself (the channels' platforms), before the page is checked. */
  prepare(messages: readonly Message[]): Promise<void>;
  check(message: Message, request: UpstreamPageRequest, peek: boolean): Verdict;
}

export interface MessageGuardOptions {
  list: 'channel' | 'workspace';
  report?: MismatchReporter;
  /** The platform of each channel, for the `platform` filter (missing ones cannot be judged and are kept). */
  platforms?: (channelIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;
}

/** The local check of a message list's filter. */
export function messageGuard(filter: MessageListFilter, options: MessageGuardOptions): MessageGuard {
  // Each test answers true (matches), false (does not) or undefined (cannot be judged from the item: kept).
  const tests: [keyof MessageListFilter, Test][] = [];
  let platforms: ReadonlyMap<string, string> = new Map();
  if (filter.platform) {
    const platform = filter.platform;
    tests.push(['platform', (m) => (platforms.has(m.channelId) ? platforms.get(m.channelId) === platform : undefined)]);
  }
  if (filter.direction) tests.push(['direction', (m) => (directionOf(m) === undefined ? undefined : directionOf(m) === filter.direction)]);
  if (filter.status !== undefined) {
    const statuses = new Set<string>(Array.isArray(filter.status) ? filter.status : [filter.status]);
    tests.push(['status', (m) => statuses.has(m.status)]);
  }
  for (const [name, party] of [
    ['senderIdentifier', (m: Message) => m.sender],
    ['recipientIdentifier', (m: Message) => m.receiver],
  ] as const) {
    const wanted = filter[name];
    if (wanted === undefined) continue;
    tests.push([
      name,
      (m) => {
        const values = partyIdentifiers(party(m));
        return values.length === 0 ? undefined : values.some((value) => sameIdentifier(value, wanted));
      },
    ]);
  }
  if (filter.tag !== undefined) {
    const tag = filter.tag.toLowerCase();
    tests.push(['tag', (m) => (m.tags ?? []).some((t) => t.toLowerCase() === tag)]);
  }
  if (filter.subject !== undefined) {
    const subject = filter.subject.toLowerCase();
    tests.push(['subject', (m) => subjectOf(m)?.toLowerCase().includes(subject) ?? false]);
  }
  if (filter.batchId !== undefined) {
    const batchId = filter.batchId.toLowerCase();
    tests.push(['batchId', (m) => (m.batchId === undefined ? undefined : m.batchId.toLowerCase() === batchId)]);
  }
  if (filter.channelId !== undefined) {
    const channelId = filter.channelId.toLowerCase();
    tests.push(['channelId', (m) => m.channelId.toLowerCase() === channelId]);
  }
  const startMs = filter.startAt === undefined ? undefined : INSTANT_MS(filter.startAt);
  const endMs = filter.endAt === undefined ? undefined : INSTANT_MS(filter.endAt);
  const report = (name: string, peek: boolean) => {
    if (!peek) options.report?.('messages', name);
  };
  // What was sent for a request: worked out once per request, not once per item.
  let lastRequest: UpstreamPageRequest | undefined;
  let lastSent: MessageListFilter = filter;
  const sentFor = (request: UpstreamPageRequest) => {
    if (request !== lastRequest) {
      lastRequest = request;
      lastSent = upstreamFilter(filter, request.bound, options.list);
    }
    return lastSent;
  };

  return {
    async prepare(messages) {
      if (!filter.platform || !options.platforms || messages.length === 0) return;
      try {
        platforms = await options.platforms([...new Set(messages.map((m) => m.channelId))]);
      } catch {
        platforms = new Map(); // the platform cannot be judged: every item is kept
      }
    },
    check(message, request, peek) {
      if (startMs !== undefined || endMs !== undefined) {
        const sent = sentFor(request);
        const at = INSTANT_MS(message.createdAt);
        // Walking newest first, an item older than startAt means nothing further matches; oldest first, endAt.
        if (startMs !== undefined && at < startMs) {
          if (sent.startAt !== undefined) report('startAt', peek);
          return request.reverse ? 'drop' : 'end';
        }
        if (endMs !== undefined && at > endMs) {
          if (sent.endAt !== undefined) report('endAt', peek);
          return request.reverse ? 'end' : 'drop';
        }
      }
      let verdict: Verdict = 'keep';
      for (const [name, test] of tests) {
        if (test(message) !== false) continue;
        verdict = 'drop';
        report(name, peek);
      }
      return verdict;
    },
  };
}

/** The channel list's filter in our names: raw platform ids, a status and a use case. */
export interface ChannelGuardFilter {
  platform?: readonly string[];
  status?: string;
  useCaseType?: string;
}

/** The local check of the channel list's filter (no time bounds there: 'keep' or 'drop'). */
export function channelGuard(filter: ChannelGuardFilter, report?: MismatchReporter) {
  const platforms = filter.platform && filter.platform.length > 0 ? new Set(filter.platform) : undefined;
  return (channel: Channel, _request: UpstreamPageRequest, peek: boolean): Verdict => {
    const failed: string[] = [];
    if (platforms && !platforms.has(channel.platformId)) failed.push('platform');
    if (filter.status !== undefined && channel.status !== filter.status) failed.push('status');
    if (filter.useCaseType !== undefined && channel.useCaseType !== filter.useCaseType) failed.push('useCaseType');
    if (!peek) for (const name of failed) report?.('channels', name);
    return failed.length > 0 ? 'drop' : 'keep';
  };
}
