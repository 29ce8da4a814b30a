// POST /webhooks/bird: verifies a Bird delivery (size, signature, time window), drops one seen before, publishes it, and answers 2xx only once it is published.
//
// The answers are what make "nothing lost, nothing twice" hold with Bird's retries (any non-2xx is retried for about
// 8 hours): 2xx once the event is on the bus (or when retrying could never help: a duplicate, a status older than one
// already published for that message, an event kind we do not publish); 401 for a bad or missing signature; 413 over the size limit; 409 while another replica handles the same
// delivery; 503 when the bus or the ledger is down. Payload contents (numbers, texts) are never logged.
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import { WEBHOOK_HEADERS } from '../bird/types.ts';
import { LIMIT_ERROR_CODES, capRequestBody } from '../limits.ts';
import type { LiveBus } from './bus.ts';
import { WORKSPACE_PARAM, decodeDelivery } from './envelope.ts';
import type { DeliveryLedger } from './ledger.ts';
import type { LiveMetrics, WebhookOutcome } from './metrics.ts';
import { DEFAULT_TOLERANCE_SECONDS, type SignatureVerdict, verifySignature } from './signature.ts';

export const WEBHOOK_PATH = '/webhooks/bird';
/** A ChannelMessage with a large body fits many times over; Bird publishes no limit. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 1024 * 1024;

export interface WebhookReceiverOptions {
  /** WEBHOOK_SIGNING_KEY; null: the route answers 503 (not configured), so Bird keeps the deliveries for later. */
  signingKey: string | null;
  /** PUBLIC_URL: the base Bird calls (behind a proxy); null = the URL of the request as this server sees it. */
  publicUrl: string | null;
  maxBodyBytes?: number;
  toleranceSeconds?: number;
  ledger: DeliveryLedger;
  bus: LiveBus;
  metrics: LiveMetrics;
  logger: YogaLogger;
  /** Clock for the timestamp window (tests). */
  now?: () => number;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const VERDICT_OUTCOME: Record<Exclude<SignatureVerdict, 'valid'>, WebhookOutcome> = {
  missing: 'missing_signature',
  stale: 'stale_timestamp',
  mismatch: 'bad_signature',
};

/** The URL Bird signed: PUBLIC_URL's base with this request's path and query, else the request's own URL. */
export function signedUrl(requestUrl: string, publicUrl: string | null): string {
  if (publicUrl === null) return requestUrl;
  const url = new URL(requestUrl);
  return `${publicUrl}${url.pathname}${url.search}`;
}

const isTooLarge = (error: unknown) => error instanceof GraphQLError && error.extensions.code === LIMIT_ERROR_CODES.body;

export function useWebhookReceiver(options: WebhookReceiverOptions): Plugin {
  const { ledger, bus, metrics, logger } = options;
  const maxBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BYTES;
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? Date.now;

  const handle = async (request: Request, url: URL, fetchAPI: typeof globalThis): Promise<Response> => {
    const answer = (status: number, outcome: WebhookOutcome, body: Record<string, unknown>, event?: string, headers: Record<string, string> = {}) => {
      metrics.webhook(outcome, event);
      return fetchAPI.Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
    };
    if (request.method !== 'POST') {
      return fetchAPI.Response.json({ code: 'METHOD_NOT_ALLOWED', message: 'Bird delivers webhooks with POST.' }, { status: 405, headers: { allow: 'POST' } });
    }
    if (options.signingKey === null) {
      logger.warn('webhook refused: WEBHOOK_SIGNING_KEY is not configured (Bird will retry)');
      return answer(503, 'not_configured', { code: 'WEBHOOKS_NOT_CONFIGURED', message: 'This server has no webhook signing key.' });
    }
    const tooLarge = () =>
      answer(413, 'too_large', { code: LIMIT_ERROR_CODES.body, message: `Deliveries are limited to ${maxBytes} bytes.` }, undefined, { connection: 'close' });

    let body: Uint8Array;
    try {
      const capped = capRequestBody(request, { maxBytes, message: 'too large' }, fetchAPI);
      body = new Uint8Array(await capped.arrayBuffer());
    } catch (error) {
      if (isTooLarge(error)) return tooLarge();
      return fetchAPI.Response.json({ code: 'BAD_REQUEST', message: 'The delivery body could not be read.' }, { status: 400 });
    }

    const headers = request.headers;
    const verdict = verifySignature(
      { signature: headers.get(WEBHOOK_HEADERS.signature), timestamp: headers.get(WEBHOOK_HEADERS.timestamp), url: signedUrl(request.url, options.publicUrl), body },
      { signingKey: options.signingKey, nowMs: now(), toleranceSeconds },
    );
    if (verdict !== 'valid') {
      logger.warn({ msg: 'webhook refused: signature', verdict });
      return answer(401, VERDICT_OUTCOME[verdict], { code: 'WEBHOOK_SIGNATURE_INVALID', message: 'The delivery is not signed with this server’s key.', reason: verdict });
    }

    const given = headers.get(WEBHOOK_HEADERS.requestId);
    // Bird always sends an id; without one, the signature identifies this exact request.
    const deliveryId = given !== null && REQUEST_ID.test(given) ? given : `sig-${createHash('sha256').update(headers.get(WEBHOOK_HEADERS.signature) ?? '').digest('hex')}`;
    const decoded = decodeDelivery(body, url.searchParams.get(WORKSPACE_PARAM));
    if (!decoded.ok) {
      // Retrying cannot help any of these: answer 2xx, count and log it (the event name only, never the payload).
      logger.warn({ msg: 'webhook ignored', deliveryId, event: decoded.event, reason: decoded.reason });
      return answer(200, decoded.reason.replace('-', '_') as WebhookOutcome, { status: 'ignored', reason: decoded.reason }, decoded.event);
    }
    const { event } = decoded;
    const unavailable = () =>
      answer(503, 'unavailable', { code: 'EVENTS_UNAVAILABLE', message: 'Live events are unavailable; retry later.' }, event.event, { 'retry-after': '5' });
    if (!bus.healthy()) return unavailable();

    let claim: Awaited<ReturnType<DeliveryLedger['claim']>>;
    try {
      claim = await ledger.claim(deliveryId);
    } catch {
      return unavailable();
    }
    if (claim === 'seen') {
      logger.info({ msg: 'webhook duplicate dropped', deliveryId, event: event.event });
      return answer(200, 'duplicate', { status: 'duplicate' }, event.event);
    }
    if (claim === 'busy') return answer(409, 'busy', { code: 'WEBHOOK_IN_PROGRESS', message: 'This delivery is being handled; retry later.' }, event.event);
    try {
      // A status change older than one already published (a retried delivery overtaken by later ones) is dropped.
      const at = event.kind === 'messageUpdated' ? Date.parse(event.message.lastStatusAt) : Number.NaN;
      if (!Number.isNaN(at) && !(await ledger.isLatest(event.messageId, at))) {
        await ledger.done(deliveryId);
        logger.info({ msg: 'webhook status older than one published: dropped', deliveryId, event: event.event });
        return answer(200, 'stale', { status: 'stale' }, event.event);
      }
      await bus.publish(event);
    } catch {
      await ledger.release(deliveryId).catch(() => {});
      logger.warn({ msg: 'webhook not published: the event bus is down (Bird will retry)', deliveryId, event: event.event });
      return unavailable();
    }
    // Published: from here the answer is 2xx even if the ledger write fails, since a retry would publish it twice.
    await ledger.done(deliveryId).catch(() => logger.warn({ msg: 'webhook ledger write failed after publishing', deliveryId }));
    logger.debug({ msg: 'webhook published', deliveryId, event: event.event });
    return answer(200, 'published', { status: 'published' }, event.event);
  };

  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== WEBHOOK_PATH) return;
      return handle(request, url, fetchAPI as unknown as typeof globalThis).then(endResponse);
    },
  };
}
