// The per-request Context: the Bird handle bound to this request's credential, plus what resolvers need of the request.
import type { BirdHandle } from './bird/handle.ts';
import { publicError } from './errors.ts';
import type { LiveContext } from './live/execution.ts';
import type { MediaLinks } from './media/links.ts';
import type { ChannelPlatformCache } from './schema/channel-platform-cache.ts';

export interface Context {
  /** The Bird client bound to this request's credential, request id, abort signal and hooks (src/bird/handle.ts). */
  bird: BirdHandle;
  /** Correlates our logs with Bird's (sent upstream as `x-request-id`). */
  requestId: string;
  /** The Bird organization whose workspaces this server reads, when configured (BIRD_ORGANIZATION_ID). */
  organizationId: string | null;
  /** The origin Bird serves media from (https://media.api.bird.com, or the emulator): uploads live there. */
  mediaOrigin: string;
  /** Browser-loadable links for media URLs: short-lived signed links of ours for Bird media (src/media/links.ts). */
  mediaLinks: MediaLinks;
  /** Largest file `uploadMedia` accepts (MEDIA_MAX_BYTES); the multipart parser enforces it while reading. */
  mediaMaxBytes: number;
  /** Channel platforms across requests, per credential (src/schema/channel-platform-cache.ts); absent or null: none. */
  channelPlatforms?: ChannelPlatformCache | null;
  /** Told the size of every loader batch (metrics); absent in contexts built without observability. */
  onBatch?: (loader: string, size: number) => void;
  /** Told of every item Bird returned that a filter asked for should have excluded (src/schema/filter-guard.ts). */
  onFilterMismatch?: (list: string, filter: string) => void;
  /** Subscriptions: the live hub, the connection and a rebinder (src/live/execution.ts adds it to every context). */
  live?: LiveContext;
}

/** The error a Bird call fails with when the request brought no usable credential and the server holds no key. */
export function missingCredential(): Error {
  return publicError(
    'UNAUTHENTICATED',
    'No Bird access key: send `Authorization: AccessKey <key>` (or configure BIRD_ACCESS_KEY on the server).',
  );
}
