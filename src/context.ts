// The per-request Context: the Bird client plus this request's credential, request id and abort signal.
import type { BirdClient, CallOptions, Credential } from './bird/client.ts';
import { publicError } from './errors.ts';
import type { MediaLinks } from './media/links.ts';

export interface Context {
  /** The process-wide Bird client (one undici Pool); loaders call it with this request's call options. */
  bird: BirdClient;
  /** This request's credential, request id and abort signal; `credential` is null when the caller brought none. */
  call: Omit<CallOptions, 'credential'> & { credential: Credential | null };
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
  /** Told the size of every loader batch (metrics); absent in contexts built without observability. */
  onBatch?: (loader: string, size: number) => void;
}

/**
 * The call options for one upstream call. A request that brought no usable credential (and no server key is set)
 * fails here, as UNAUTHENTICATED, before anything is sent to Bird.
 */
export function callOptions(ctx: Context): CallOptions {
  const { credential, ...rest } = ctx.call;
  if (!credential) {
    throw publicError(
      'UNAUTHENTICATED',
      'No Bird access key: send `Authorization: AccessKey <key>` (or configure BIRD_ACCESS_KEY on the server).',
    );
  }
  return { ...rest, credential };
}
