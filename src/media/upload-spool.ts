// The upload spool's admission: uploads in flight in all and per client, and a quota on the bytes they hold on disk at once.
//
// Without it, anyone reaching the server could hold one temp file per connection, as large as the upload limit, for as
// long as the connection lasts (4 connections held 381 MiB). An upload takes a ticket before its first byte is read:
// none is left → 429; its file then grows only while the spool's total stays under the quota → 507. The ticket is
// returned, with its bytes, when the temp file is removed.
import { createHash } from 'node:crypto';
import { createGraphQLError } from 'graphql-yoga';

export interface SpoolLimits {
  /** The most bytes all temp files may hold at once (UPLOAD_SPOOL_MAX_BYTES). */
  maxBytes: number;
  /** Uploads in flight at once, in all and per client (UPLOAD_MAX_CONCURRENT, UPLOAD_MAX_CONCURRENT_PER_CLIENT). */
  maxConcurrent: number;
  maxConcurrentPerClient: number;
}

/** One upload's share of the spool: the bytes it may write, grown as it writes, returned once. */
export interface SpoolTicket {
  /** Makes room for `bytes` more on disk; false when the spool's quota would be passed (nothing is taken then). */
  grow(bytes: number): boolean;
  /** Returns the slot and every byte taken; idempotent. */
  release(): void;
}

/** Refusals carry `connection: close`: Node would otherwise read the rest of a refused body to reuse the socket. */
const close = { connection: 'close' };

export const tooManyUploads = (perClient: boolean) =>
  createGraphQLError(
    perClient
      ? 'Too many uploads in flight from this client: wait for one to finish, then retry.'
      : 'Too many uploads in flight on this server: retry in a moment.',
    { extensions: { code: 'TOO_MANY_UPLOADS', http: { status: 429, headers: { ...close, 'retry-after': '1' } } } },
  );

export const spoolFull = () =>
  createGraphQLError('The server has no room for this upload right now: retry in a moment.', {
    extensions: { code: 'UPLOAD_SPOOL_FULL', http: { status: 507, headers: { ...close, 'retry-after': '5' } } },
  });

/**
 * Who an upload counts against: the credential it brings (hashed, never held in clear), else the client's address.
 * Behind a proxy, clients without their own key share the proxy's address.
 */
export function uploadClient(authorization: string | null, remoteAddress: string | undefined): string {
  if (authorization !== null && authorization.trim() !== '') return `key:${createHash('sha256').update(authorization.trim()).digest('hex').slice(0, 32)}`;
  return remoteAddress === undefined ? 'address:unknown' : `address:${remoteAddress}`;
}

export class UploadSpool {
  private bytes = 0;
  private inFlight = 0;
  private readonly perClient = new Map<string, number>();

  constructor(readonly limits: SpoolLimits) {}

  /** Bytes held now and uploads in flight (tests and metrics read them). */
  usage(): { bytes: number; uploads: number } {
    return { bytes: this.bytes, uploads: this.inFlight };
  }

  /** A ticket for `client`, or the error to answer: too many in flight in all or from this client. */
  admit(client: string): SpoolTicket | Error {
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.limits.maxConcurrentPerClient) return tooManyUploads(true);
    if (this.inFlight >= this.limits.maxConcurrent) return tooManyUploads(false);
    this.inFlight++;
    this.perClient.set(client, mine + 1);
    let held = 0;
    let released = false;
    return {
      grow: (bytes) => {
        if (released || this.bytes + bytes > this.limits.maxBytes) return false;
        this.bytes += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.bytes -= held;
        this.inFlight--;
        const left = (this.perClient.get(client) ?? 1) - 1;
        if (left <= 0) this.perClient.delete(client);
        else this.perClient.set(client, left);
      },
    };
  }
}
