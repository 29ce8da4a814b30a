// createWebhookSubscriptionClient(options): Bird's webhook subscriptions API (list, create, update, delete) on the shared transport, for the server's own registration.
//
// Not part of the per-request handle: no resolver manages subscriptions. The registration (src/live/registration.ts,
// `npm run webhooks:register` and demo mode) calls it with the server's key.
import { buildPath, pageQuery, queryString } from './paths.ts';
import { authorizationHeader, createTransport, readJson } from './transport.ts';
import type { BirdClientOptions, CallOptions, Shape } from './transport.ts';
import type { CreateWebhookSubscriptionRequest, Page, PageParams, UpdateWebhookSubscriptionRequest, WebhookSubscription } from './types.ts';

/**
 * The one place the path is written (bird-api.md §8.4). One docs render shows it without the organization
 * (`/workspaces/{workspaceId}/webhook-subscriptions`); if Bird's live API agrees, change it here.
 */
export const WEBHOOK_SUBSCRIPTIONS_ROUTE = '/organizations/{organizationId}/workspaces/{workspaceId}/webhook-subscriptions';
const ONE = `${WEBHOOK_SUBSCRIPTIONS_ROUTE}/{subscriptionId}` as const;

type Where = { organizationId: string; workspaceId: string };

export interface WebhookSubscriptionClient {
  list(params: Where & PageParams, call: CallOptions): Promise<Page<WebhookSubscription>>;
  create(params: Where & { subscription: CreateWebhookSubscriptionRequest }, call: CallOptions): Promise<WebhookSubscription>;
  update(params: Where & { subscriptionId: string; patch: UpdateWebhookSubscriptionRequest }, call: CallOptions): Promise<WebhookSubscription>;
  remove(params: Where & { subscriptionId: string }, call: CallOptions): Promise<void>;
  close(): Promise<void>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const aSubscription: Shape<WebhookSubscription> = (value): value is WebhookSubscription =>
  isRecord(value) && typeof value.id === 'string' && typeof value.event === 'string' && typeof value.url === 'string';
const aPage: Shape<Page<WebhookSubscription>> = (value): value is Page<WebhookSubscription> =>
  isRecord(value) && Array.isArray(value.results) && value.results.every((item) => aSubscription(item));

export function createWebhookSubscriptionClient(options: BirdClientOptions): WebhookSubscriptionClient {
  const transport = createTransport(options);
  const send = <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', route: string, path: string, payload: unknown, call: CallOptions, read: (r: Parameters<Parameters<typeof transport.execute>[2]>[0]) => Promise<T>) => {
    const json = payload === undefined ? undefined : JSON.stringify(payload);
    return transport.execute(
      {
        method,
        origin: transport.apiOrigin,
        route,
        path,
        headers: {
          accept: 'application/json',
          'user-agent': transport.userAgent,
          authorization: authorizationHeader(call.credential, method, route),
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        secret: call.credential.token,
        ...(json === undefined ? {} : { body: { open: () => json, replayable: true } }),
      },
      call,
      read,
    );
  };
  return {
    list({ organizationId, workspaceId, ...page }, call) {
      const path = buildPath('GET', WEBHOOK_SUBSCRIPTIONS_ROUTE, { organizationId, workspaceId }) + queryString(pageQuery(page));
      return send('GET', WEBHOOK_SUBSCRIPTIONS_ROUTE, path, undefined, call, (r) => readJson(r, aPage));
    },
    create({ organizationId, workspaceId, subscription }, call) {
      const path = buildPath('POST', WEBHOOK_SUBSCRIPTIONS_ROUTE, { organizationId, workspaceId });
      return send('POST', WEBHOOK_SUBSCRIPTIONS_ROUTE, path, subscription, call, (r) => readJson(r, aSubscription));
    },
    update({ organizationId, workspaceId, subscriptionId, patch }, call) {
      const path = buildPath('PATCH', ONE, { organizationId, workspaceId, subscriptionId });
      return send('PATCH', ONE, path, patch, call, (r) => readJson(r, aSubscription));
    },
    remove({ organizationId, workspaceId, subscriptionId }, call) {
      const path = buildPath('DELETE', ONE, { organizationId, workspaceId, subscriptionId });
      return send('DELETE', ONE, path, undefined, call, (r) => r.body.dump());
    },
    close: () => transport.close(),
  };
}
