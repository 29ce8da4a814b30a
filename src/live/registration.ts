// Registers this server's webhook subscriptions with Bird (or the emulator): per workspace, each platform's inbound, outbound and interaction events to PUBLIC_URL/webhooks/bird; idempotent.
//
// It lists before it writes and never creates a second subscription for an (event, URL): one found is updated (URL
// and signing key, so a rotated key takes effect), extra copies of it are deleted, a missing one is created. Bird
// never echoes a signing key, so "up to date" cannot be read back: every run updates, and a second run changes nothing
// else. The workspace is named in the URL's query (`?workspaceId=`), as Bird's payloads do not carry it.
import type { BirdClient, Credential } from '../bird/client.ts';
import { CHANNEL_EVENT_KINDS, type WebhookSubscription } from '../bird/types.ts';
import type { WebhookSubscriptionClient } from '../bird/webhook-subscriptions.ts';
import type { Config } from '../config.ts';
import { WORKSPACE_PARAM } from './envelope.ts';
import { WEBHOOK_PATH } from './receiver.ts';

export interface RegistrationOptions {
  bird: BirdClient;
  subscriptions: WebhookSubscriptionClient;
  credential: Credential;
  organizationId: string;
  /** The workspaces to subscribe; null = every workspace of the organization the key lists. */
  workspaceIds: readonly string[] | null;
  /** Where Bird delivers: `${PUBLIC_URL}/webhooks/bird`. */
  receiverUrl: string;
  signingKey: string;
  log?: (line: string) => void;
}

/**
 * What the server's own settings say to register: its key, organization, workspaces and signing key, delivering to
 * `${base}/webhooks/bird`. The caller has checked that the key, organization and signing key are set.
 */
export function registrationOf(config: Config, base: string): Pick<RegistrationOptions, 'credential' | 'organizationId' | 'workspaceIds' | 'receiverUrl' | 'signingKey'> {
  return {
    credential: { scheme: 'AccessKey', token: config.bird.accessKey as string },
    organizationId: config.bird.organizationId as string,
    workspaceIds: config.live.workspaceIds,
    receiverUrl: `${base}${WEBHOOK_PATH}`,
    signingKey: config.live.signingKey as string,
  };
}

export interface WorkspaceRegistration {
  workspaceId: string;
  /** Events now subscribed, each with its subscription id. */
  events: Record<string, string>;
  created: string[];
  updated: string[];
  /** Extra subscriptions for an event and URL already covered, deleted. */
  removed: string[];
  failed: { event: string; error: string }[];
}

/** The subscription URL of one workspace. */
export function receiverUrlFor(receiverUrl: string, workspaceId: string): string {
  const url = new URL(receiverUrl);
  url.searchParams.set(WORKSPACE_PARAM, workspaceId);
  return url.href;
}

async function all<T>(fetchPage: (pageToken: string | undefined) => Promise<{ results: T[]; nextPageToken?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.results);
    token = page.nextPageToken;
  } while (token);
  return items;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function registerWebhooks(options: RegistrationOptions): Promise<WorkspaceRegistration[]> {
  const { bird, subscriptions, organizationId, signingKey, log = () => {} } = options;
  const call = { credential: options.credential };
  const workspaceIds =
    options.workspaceIds ??
    (await all((pageToken) => bird.listWorkspaces({ organizationId, limit: 100, ...(pageToken ? { pageToken } : {}) }, call))).map((w) => w.id);

  const reports: WorkspaceRegistration[] = [];
  for (const workspaceId of workspaceIds) {
    const where = { organizationId, workspaceId };
    const url = receiverUrlFor(options.receiverUrl, workspaceId);
    const report: WorkspaceRegistration = { workspaceId, events: {}, created: [], updated: [], removed: [], failed: [] };
    reports.push(report);
    let platforms: string[];
    let existing: WebhookSubscription[];
    try {
      const channels = await all((pageToken) => bird.listChannels({ workspaceId, limit: 1000, ...(pageToken ? { pageToken } : {}) }, call));
      platforms = [...new Set(channels.map((c) => c.platformId))].sort();
      existing = await all((pageToken) => subscriptions.list({ ...where, limit: 100, ...(pageToken ? { pageToken } : {}) }, call));
    } catch (error) {
      report.failed.push({ event: '*', error: reason(error) });
      log(`workspace ${workspaceId}: ${reason(error)}`);
      continue;
    }
    const ours = existing.filter((s) => s.service === 'channels' && s.url === url);
    for (const event of platforms.flatMap((platform) => CHANNEL_EVENT_KINDS.map((kind) => `${platform}.${kind}`))) {
      // Oldest first: the one kept is the one deliveries have gone to longest.
      const same = ours.filter((s) => s.event === event).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
      try {
        const [keep, ...extra] = same;
        if (keep) {
          await subscriptions.update({ ...where, subscriptionId: keep.id, patch: { url, signingKey, eventFilters: [] } }, call);
          report.updated.push(event);
          report.events[event] = keep.id;
          for (const duplicate of extra) {
            await subscriptions.remove({ ...where, subscriptionId: duplicate.id }, call);
            report.removed.push(duplicate.id);
          }
        } else {
          const created = await subscriptions.create({ ...where, subscription: { service: 'channels', event, url, signingKey } }, call);
          report.created.push(event);
          report.events[event] = created.id;
        }
      } catch (error) {
        report.failed.push({ event, error: reason(error) });
      }
    }
    log(
      `workspace ${workspaceId}: ${Object.keys(report.events).length} events (${report.created.length} created, ${report.updated.length} updated` +
        `${report.removed.length ? `, ${report.removed.length} duplicates deleted` : ''}${report.failed.length ? `, ${report.failed.length} failed` : ''})`,
    );
  }
  return reports;
}
