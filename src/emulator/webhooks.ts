// Bird's webhooks in the emulator: the subscriptions API (create, list, get, update, delete, logs) and signed deliveries with growing retries and occasional duplicates.
//
// Where Bird's docs (bird-api.md §8.4) are silent the choice is marked "Decision:" beside the code. The signature is
// computed here independently of the server's verifier (src/live/signature.ts), on purpose: the emulator imports no
// server code, so a bug in one cannot hide behind the other.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  type CreateWebhookSubscriptionRequest,
  type Interaction,
  type Message,
  type Page,
  type UpdateWebhookSubscriptionRequest,
  WEBHOOK_FILTER_KEYS,
  WEBHOOK_HEADERS,
  WEBHOOK_SERVICES,
  type WebhookEventFilter,
  type WebhookSubscription,
} from '../bird/types.ts';
import { ApiError, notFound, validationFailed } from './errors.ts';
import { byCreatedAt, insertSorted, keysetPage, pageOptions, type Query, UUID } from './pages.ts';
import { bodyValidator, type Details } from './send-validation.ts';

// ---------------------------------------------------------------------------------------------------------------
// Options and the delivery log
// ---------------------------------------------------------------------------------------------------------------

export interface WebhookOptions {
  /**
   * The one exception to Bird's https-only URL rule, opt-in: also admit `http(s)://127.0.0.1[:port]/…` and
   * `http(s)://localhost[:port]/…`, so the demo and the tests can receive deliveries. Default false (Bird's rule).
   */
  allowLoopbackUrls?: boolean;
  /**
   * The waits before each retry of a failed delivery (any non-2xx answer, or none): its length bounds the retries.
   * Default: growing intervals over about 8 hours, like Bird's.
   */
  retryDelaysMs?: readonly number[];
  /** The share of successful deliveries sent once more (Bird delivers at least once); default 0. */
  duplicateRate?: number;
  /** Per-attempt timeout (connect to last byte of the answer); default 10 s. */
  timeoutMs?: number;
}

/** Decision: Bird documents "growing intervals for about 8 hours"; these are ours (sum ≈ 8 h 3 min, 10 retries). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5, 30, 60, 300, 900, 1800, 3600, 3600, 7200, 10_800].map((s) => s * 1000);
const DEFAULT_TIMEOUT_MS = 10_000;

/** One attempt of one delivery, as `emulator.deliveries` logs it. */
export interface DeliveryAttempt {
  /** `messagebird-request-id`: the same on every retry and duplicate of a delivery. */
  requestId: string;
  subscriptionId: string;
  event: string;
  url: string;
  /** 1 for the first attempt of a delivery (a duplicate starts again at 1). */
  attempt: number;
  /** The receiver's HTTP status; 0 when no answer came (refused, reset, timeout). */
  status: number;
  /** Why no answer came (a Node error code or 'timeout'). */
  error?: string;
  /** True for the extra copy of an already successful delivery. */
  duplicate: boolean;
  /** True when this failed attempt was the last one allowed. */
  gaveUp?: boolean;
  /** The `messagebird-request-timestamp` sent (Unix seconds). */
  timestamp: number;
  /** When the attempt started and when its answer (or failure) came, epoch ms on the real clock (the bench's latency). */
  startedAtMs: number;
  endedAtMs: number;
}

/** What the store tells the hub about: each becomes a `<platform>.<kind>` delivery to every matching subscription. */
export type StoreChange =
  | { kind: 'inbound' | 'outbound'; workspaceId: string; platformId: string; channelStatus?: string; message: Message }
  | { kind: 'interaction'; workspaceId: string; platformId: string; channelStatus?: string; interaction: Interaction };

// ---------------------------------------------------------------------------------------------------------------
// Body rules
// ---------------------------------------------------------------------------------------------------------------

/** Bird's documented pattern: a host name with a dot and a letters-only TLD, no port, never an IP or localhost. */
export const BIRD_WEBHOOK_URL_PATTERN = '^https://([a-zA-Z0-9-]+\\.)+[a-zA-Z]{2,}(/[^\\s]*)?$';
/** The opt-in exception (WebhookOptions.allowLoopbackUrls). */
export const LOOPBACK_WEBHOOK_URL_PATTERN = '^https?://(127\\.0\\.0\\.1|localhost)(:[0-9]{1,5})?(/[^\\s]*)?$';

const FILTER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'value'],
  properties: { key: { type: 'string', enum: [...WEBHOOK_FILTER_KEYS] }, value: { type: 'string', minLength: 1 } },
};

function subscriptionSchema(urlPattern: string, create: boolean) {
  return {
    type: 'object',
    additionalProperties: false,
    ...(create ? { required: ['service', 'event', 'url'] } : { minProperties: 1 }),
    properties: {
      service: { type: 'string', enum: [...WEBHOOK_SERVICES] },
      event: { type: 'string', minLength: 1, maxLength: 200 },
      url: { type: 'string', maxLength: 2048, pattern: urlPattern },
      // Decision: at most 10 filters (one per documented key is the useful maximum; Bird states no number).
      eventFilters: { type: 'array', maxItems: 10, items: FILTER_SCHEMA },
      template: { type: 'string', maxLength: 10_000 },
      signingKey: { type: 'string', minLength: 1, maxLength: 1024 },
    },
  };
}

/**
 * Decision: the channels service takes `<platform>.inbound|outbound|interaction` and `channel.created|updated` (the
 * documented events); the other services any dotted lower-case name.
 */
const CHANNELS_EVENT = /^(?:[a-z][a-z0-9-]{1,40}\.(?:inbound|outbound|interaction)|channel\.(?:created|updated))$/;
const OTHER_EVENT = /^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+$/;
/** Bird: "at most 5 subscriptions with the same filter set". Decision: counted per workspace and event. */
export const MAX_SAME_FILTER_SET = 5;

/** The documented rules ajv cannot say: the event of the service, one channelId and one interactionType at most. */
function ruleDetails(body: { service?: string; event?: string; eventFilters?: WebhookEventFilter[] }): Details {
  const details = Object.create(null) as Details;
  if (body.event !== undefined && body.service !== undefined) {
    const pattern = body.service === 'channels' ? CHANNELS_EVENT : OTHER_EVENT;
    if (!pattern.test(body.event)) details.event = [`is not an event of the ${body.service} service`];
  }
  const filters = body.eventFilters ?? [];
  for (const key of ['channelId', 'interactionType'] as const) {
    if (filters.filter((f) => f.key === key).length > 1) (details.eventFilters ??= []).push(`may hold one ${key} filter at most`);
  }
  filters.forEach((f, i) => {
    if (f.key === 'channelId' && !UUID.test(f.value)) details[`eventFilters.${i}.value`] = ['must be a UUID for the channelId key'];
  });
  return details;
}

const filterSetOf = (filters: readonly WebhookEventFilter[]) =>
  filters
    .map((f) => `${f.key}=${f.value}`)
    .sort()
    .join('&');

// ---------------------------------------------------------------------------------------------------------------
// The hub
// ---------------------------------------------------------------------------------------------------------------

interface SubscriptionRecord {
  subscription: WebhookSubscription;
  signingKey?: string;
  /** Deliveries waiting their turn: one subscription's deliveries go out one after another, in order. */
  queue: Delivery[];
  busy: boolean;
  deleted: boolean;
  attempts: DeliveryAttempt[];
  createdAt: string;
  id: string;
}

interface Delivery {
  requestId: string;
  record: SubscriptionRecord;
  event: string;
  body: string;
  attempts: number;
  duplicate: boolean;
}

export interface WebhookHubOptions extends WebhookOptions {
  now: () => number;
  /** Random source in [0, 1) for duplicates; default Math.random. */
  random?: () => number;
  /** Throws the store's 404 when the organization or the workspace does not exist. */
  requireWorkspace: (organizationId: string, workspaceId: string) => void;
  log?: (line: string) => void;
}

export class WebhookHub {
  /** Every delivery attempt, in the order they were made. */
  readonly deliveries: DeliveryAttempt[] = [];
  private readonly records = new Map<string, SubscriptionRecord>();
  private readonly byWorkspace = new Map<string, SubscriptionRecord[]>();
  private readonly retryDelaysMs: readonly number[];
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly validateCreate: (body: unknown) => Details;
  private readonly validateUpdate: (body: unknown) => Details;
  private readonly waiting = new Map<NodeJS.Timeout, Delivery>();
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  private readonly inFlight = new Set<http.ClientRequest>();
  /** Bodies of successful deliveries by request id, for redeliver(); bounded so a long demo run does not grow without end. */
  private readonly sent = new Map<string, string>();
  private static readonly MAX_REMEMBERED = 10_000;
  private busyQueues = 0;
  private settledWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: WebhookHubOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const pattern = options.allowLoopbackUrls ? `${BIRD_WEBHOOK_URL_PATTERN}|${LOOPBACK_WEBHOOK_URL_PATTERN}` : BIRD_WEBHOOK_URL_PATTERN;
    this.validateCreate = bodyValidator(subscriptionSchema(pattern, true));
    this.validateUpdate = bodyValidator(subscriptionSchema(pattern, false));
  }

  private nowIso(): string {
    return new Date(this.options.now()).toISOString();
  }

  // --- the subscriptions API ----------------------------------------------------------------------------------

  /** `POST …/webhook-subscriptions` → 201 with the subscription (`status: "active"`), or 404 / 409 / 422. */
  create(organizationId: string, workspaceId: string, body: unknown): WebhookSubscription {
    this.options.requireWorkspace(organizationId, workspaceId);
    const details = this.validateCreate(body);
    if (Object.keys(details).length === 0) Object.assign(details, ruleDetails(body as CreateWebhookSubscriptionRequest));
    if (Object.keys(details).length > 0) throw validationFailed(details);
    const request = body as CreateWebhookSubscriptionRequest;
    const filters = (request.eventFilters ?? []).map((f) => ({ key: f.key, value: f.value }));
    this.checkSameFilterSet(workspaceId, request.event, filters);
    const at = this.nowIso();
    const subscription: WebhookSubscription = {
      id: randomUUID(),
      organizationId,
      workspaceId,
      service: request.service,
      event: request.event,
      url: request.url,
      eventFilters: filters,
      ...(request.template !== undefined ? { template: request.template } : {}),
      status: 'active',
      createdAt: at,
      updatedAt: at,
    };
    const record: SubscriptionRecord = {
      subscription,
      ...(request.signingKey !== undefined ? { signingKey: request.signingKey } : {}),
      queue: [],
      busy: false,
      deleted: false,
      attempts: [],
      createdAt: at,
      id: subscription.id,
    };
    this.records.set(subscription.id, record);
    const list = this.byWorkspace.get(workspaceId) ?? [];
    insertSorted(list, record, byCreatedAt);
    this.byWorkspace.set(workspaceId, list);
    return subscription;
  }

  private checkSameFilterSet(workspaceId: string, event: string, filters: readonly WebhookEventFilter[], except?: string): void {
    const set = filterSetOf(filters);
    const same = (this.byWorkspace.get(workspaceId) ?? []).filter(
      (r) => r.id !== except && r.subscription.event === event && filterSetOf(r.subscription.eventFilters) === set,
    );
    if (same.length >= MAX_SAME_FILTER_SET) {
      throw new ApiError(409, 'Conflict', `At most ${MAX_SAME_FILTER_SET} subscriptions may share an event and a filter set`);
    }
  }

  /** `GET …/webhook-subscriptions`: newest first, keyset pages (limit 1..100, default 10). */
  list(organizationId: string, workspaceId: string, query: Query): Page<WebhookSubscription> {
    this.options.requireWorkspace(organizationId, workspaceId);
    const options = pageOptions(query, 100);
    return keysetPage(this.byWorkspace.get(workspaceId) ?? [], byCreatedAt, options, undefined, (r) => r.subscription);
  }

  private require(organizationId: string, workspaceId: string, id: string): SubscriptionRecord {
    this.options.requireWorkspace(organizationId, workspaceId);
    const record = this.records.get(id);
    if (!record || record.subscription.workspaceId !== workspaceId) throw notFound('webhook subscription');
    return record;
  }

  get(organizationId: string, workspaceId: string, id: string): WebhookSubscription {
    return this.require(organizationId, workspaceId, id).subscription;
  }

  /** `PATCH …/{id}`: any of the create fields (at least one), the same rules; deliveries still waiting use the new URL and key. */
  update(organizationId: string, workspaceId: string, id: string, body: unknown): WebhookSubscription {
    const record = this.require(organizationId, workspaceId, id);
    const details = this.validateUpdate(body);
    const patch = body as UpdateWebhookSubscriptionRequest;
    const current = record.subscription;
    const merged = {
      service: patch.service ?? current.service,
      event: patch.event ?? current.event,
      eventFilters: patch.eventFilters ?? current.eventFilters,
    };
    if (Object.keys(details).length === 0) Object.assign(details, ruleDetails(merged));
    if (Object.keys(details).length > 0) throw validationFailed(details);
    if (patch.event !== undefined || patch.eventFilters !== undefined) this.checkSameFilterSet(workspaceId, merged.event, merged.eventFilters, id);
    record.subscription = {
      ...current,
      service: merged.service,
      event: merged.event,
      eventFilters: merged.eventFilters.map((f) => ({ key: f.key, value: f.value })),
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.template !== undefined ? { template: patch.template } : {}),
      updatedAt: this.nowIso(),
    };
    if (patch.signingKey !== undefined) record.signingKey = patch.signingKey;
    return record.subscription;
  }

  /** `DELETE …/{id}` → 204; its pending deliveries are dropped. */
  remove(organizationId: string, workspaceId: string, id: string): void {
    const record = this.require(organizationId, workspaceId, id);
    record.deleted = true;
    record.queue.length = 0;
    this.records.delete(id);
    const list = this.byWorkspace.get(workspaceId) ?? [];
    list.splice(list.indexOf(record), 1);
  }

  /** `GET …/{id}/logs`. Decision: `{results}` of this subscription's attempts, newest first (Bird shows no shape). */
  logs(organizationId: string, workspaceId: string, id: string): { results: DeliveryAttempt[] } {
    return { results: [...this.require(organizationId, workspaceId, id).attempts].reverse() };
  }

  /** Every subscription, oldest first (tests). */
  all(): WebhookSubscription[] {
    return [...this.byWorkspace.values()].flat().map((r) => r.subscription);
  }

  // --- deliveries -----------------------------------------------------------------------------------------------

  /** A store change becomes one delivery per matching subscription (filters AND-combined). */
  notify(change: StoreChange): void {
    if (this.closed) return;
    const records = this.byWorkspace.get(change.workspaceId);
    if (!records || records.length === 0) return;
    const event = `${change.platformId}.${change.kind}`;
    const payload = change.kind === 'interaction' ? change.interaction : change.message;
    const attributes: Record<string, string | undefined> = {
      channelId: payload.channelId,
      platformId: change.platformId,
      channelStatus: change.channelStatus,
      messageStatus: change.kind === 'interaction' ? undefined : change.message.status,
      interactionType: change.kind === 'interaction' ? change.interaction.type : undefined,
    };
    let body: string | undefined;
    for (const record of records) {
      const { subscription } = record;
      if (subscription.service !== 'channels' || subscription.event !== event) continue;
      // Decision: filter values compare exactly, except channel ids (UUIDs compare case-insensitively).
      const matches = subscription.eventFilters.every((f) =>
        f.key === 'channelId' ? attributes.channelId?.toLowerCase() === f.value.toLowerCase() : attributes[f.key] === f.value,
      );
      if (!matches) continue;
      // The payload is serialized now: the message object changes with its next status.
      body ??= JSON.stringify({ service: 'channels', event, payload });
      this.enqueue({ requestId: randomUUID(), record, event, body, attempts: 0, duplicate: false });
    }
  }

  /**
   * Test hook: sends a delivery that already went out once more, with its request id and body (what Bird's
   * at-least-once delivery does). Throws when no attempt with that request id was logged.
   */
  redeliver(requestId: string): void {
    const attempt = this.deliveries.find((d) => d.requestId === requestId);
    const record = attempt && this.records.get(attempt.subscriptionId);
    const original = record && this.sent.get(requestId);
    if (!record || original === undefined) throw new Error(`redeliver: no delivery ${requestId} of a live subscription`);
    this.enqueue({ requestId, record, event: attempt.event, body: original, attempts: 0, duplicate: true });
  }

  /** Test hook: every delivery waiting for its retry is retried now. */
  retryNow(): void {
    for (const [timer, delivery] of [...this.waiting]) {
      clearTimeout(timer);
      this.waiting.delete(timer);
      this.enqueue(delivery);
    }
  }

  /** Deliveries waiting for a retry (their timers are running). */
  get retriesWaiting(): number {
    return this.waiting.size;
  }

  /** Resolves once no delivery is queued or being sent (retries waiting on their timers do not count). */
  settled(): Promise<void> {
    if (this.busyQueues === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private enqueue(delivery: Delivery): void {
    if (this.closed || delivery.record.deleted) return;
    delivery.record.queue.push(delivery);
    if (!delivery.record.busy) void this.pump(delivery.record);
  }

  private async pump(record: SubscriptionRecord): Promise<void> {
    record.busy = true;
    this.busyQueues++;
    try {
      for (let delivery = record.queue.shift(); delivery; delivery = record.queue.shift()) {
        if (this.closed || record.deleted) break;
        await this.attempt(delivery);
      }
    } finally {
      record.busy = false;
      this.busyQueues--;
      if (this.busyQueues === 0) {
        const waiters = this.settledWaiters;
        this.settledWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const { record } = delivery;
    const { url } = record.subscription;
    delivery.attempts++;
    // Decision: every attempt is signed afresh (its own timestamp); the request id stays the delivery's.
    const timestamp = Math.floor(this.options.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Bird-Webhooks (bird-graphql emulator)',
      [WEBHOOK_HEADERS.requestId]: delivery.requestId,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    };
    // Decision: a subscription without a signing key gets unsigned deliveries.
    if (record.signingKey !== undefined) headers[WEBHOOK_HEADERS.signature] = sign(record.signingKey, timestamp, url, delivery.body);
    const startedAtMs = Date.now();
    const outcome = await this.post(url, headers, delivery.body);
    const endedAtMs = Date.now();
    const ok = outcome.status >= 200 && outcome.status < 300;
    const gaveUp = !ok && delivery.attempts > this.retryDelaysMs.length;
    const entry: DeliveryAttempt = {
      requestId: delivery.requestId,
      subscriptionId: record.id,
      event: delivery.event,
      url,
      attempt: delivery.attempts,
      status: outcome.status,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      duplicate: delivery.duplicate,
      ...(gaveUp ? { gaveUp } : {}),
      timestamp,
      startedAtMs,
      endedAtMs,
    };
    this.deliveries.push(entry);
    record.attempts.push(entry);
    if (record.attempts.length > 1000) record.attempts.shift();
    this.options.log?.(`webhook ${delivery.event} ${delivery.requestId} attempt ${delivery.attempts} → ${outcome.status || outcome.error}`);
    if (this.closed) return;
    if (ok) {
      if (!this.sent.has(delivery.requestId)) {
        this.sent.set(delivery.requestId, delivery.body);
        if (this.sent.size > WebhookHub.MAX_REMEMBERED) this.sent.delete(this.sent.keys().next().value as string);
      }
      const rate = this.options.duplicateRate ?? 0;
      if (!delivery.duplicate && rate > 0 && this.random() < rate) {
        this.enqueue({ ...delivery, attempts: 0, duplicate: true });
      }
      return;
    }
    if (gaveUp) return;
    // Retried later, behind whatever was queued meanwhile: retries can arrive out of order with later events.
    const timer = setTimeout(() => {
      this.waiting.delete(timer);
      this.enqueue(delivery);
    }, this.retryDelaysMs[delivery.attempts - 1]);
    timer.unref();
    this.waiting.set(timer, delivery);
  }

  /** One POST; resolves with the status, or status 0 and why no answer came. Never rejects. */
  private post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; error?: string }> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ status: 0, error: 'invalid-url' });
        return;
      }
      const secure = target.protocol === 'https:';
      const request = (secure ? https : http).request(target, {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        agent: secure ? this.agents.https : this.agents.http,
        timeout: this.timeoutMs,
      });
      this.inFlight.add(request);
      const done = (outcome: { status: number; error?: string }) => {
        this.inFlight.delete(request);
        resolve(outcome);
      };
      request.once('response', (response) => {
        response.resume();
        response.once('end', () => done({ status: response.statusCode ?? 0 }));
        response.once('error', () => done({ status: 0, error: 'response-error' }));
      });
      request.once('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
      request.once('error', (error: NodeJS.ErrnoException) => done({ status: 0, error: error.code ?? 'error' }));
      request.end(body);
    });
  }

  /** Stops retries and aborts attempts in flight. */
  close(): void {
    this.closed = true;
    for (const timer of this.waiting.keys()) clearTimeout(timer);
    this.waiting.clear();
    for (const request of this.inFlight) request.destroy();
    this.agents.http.destroy();
    this.agents.https.destroy();
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Bird's signature (§8.4): base64 HMAC-SHA256 over `timestamp \n url \n` followed by the raw SHA-256 digest of the body. */
export function sign(signingKey: string, timestamp: number, url: string, body: string): string {
  const digest = createHash('sha256').update(body).digest();
  return createHmac('sha256', signingKey).update(`${timestamp}\n${url}\n`).update(digest).digest('base64');
}
