// Live-update metrics: webhook deliveries by outcome and kind, open subscriptions by root field, events sent.
import { Counter, Gauge, type Registry } from 'prom-client';

/** Every answer the receiver gives, as a bounded label. */
export type WebhookOutcome =
  | 'published'
  | 'duplicate'
  | 'stale'
  | 'busy'
  | 'unknown_event'
  | 'unroutable'
  | 'malformed'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'missing_signature'
  | 'too_large'
  | 'unavailable'
  | 'not_configured';

export interface LiveMetrics {
  webhook(outcome: WebhookOutcome, event?: string): void;
  subscriptionOpened(field: string): void;
  subscriptionClosed(field: string): void;
  eventSent(field: string): void;
}

/** `sms.outbound` → `outbound`: the platform part is dropped so the label set stays small. */
const kindOf = (event: string | undefined) => {
  const kind = event?.split('.').at(-1);
  return kind === 'inbound' || kind === 'outbound' || kind === 'interaction' ? kind : event === undefined ? 'none' : 'other';
};

export function createLiveMetrics(registry: Registry | null): LiveMetrics {
  if (registry === null) return { webhook() {}, subscriptionOpened() {}, subscriptionClosed() {}, eventSent() {} };
  const webhooks = new Counter({
    name: 'bird_webhooks_received_total',
    help: 'Webhook deliveries from Bird by outcome (published, duplicate, stale, unknown_event, bad_signature, unavailable, …) and event kind.',
    labelNames: ['outcome', 'kind'],
    registers: [registry],
  });
  const open = new Gauge({
    name: 'graphql_subscriptions_open',
    help: 'Subscriptions open on this replica, by root field.',
    labelNames: ['field'],
    registers: [registry],
  });
  const sent = new Counter({
    name: 'graphql_subscription_events_total',
    help: 'Events sent to subscribers on this replica, by root field.',
    labelNames: ['field'],
    registers: [registry],
  });
  return {
    webhook: (outcome, event) => webhooks.inc({ outcome, kind: kindOf(event) }),
    subscriptionOpened: (field) => open.inc({ field }),
    subscriptionClosed: (field) => open.dec({ field }),
    eventSent: (field) => sent.inc({ field }),
  };
}
