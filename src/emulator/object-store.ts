// The emulator's object store: media bytes on an origin of its own at presigned, expiring URLs (S3-style query signature), refusing an Authorization header.
//
// Bird is reported to answer its media paths with a 302 to a presigned object-store URL (bird-api.md §10.5), which
// must be fetched WITHOUT the Bird key: S3 refuses a second auth mechanism ("Only one auth mechanism allowed"). The
// emulator does the same, on a second listening port, so a client that leaks the key there, or cannot follow the
// redirect, fails here as it would against Bird. The query names are S3's (SigV4 query authentication); the
// signature itself is the emulator's own HMAC over the object path, date and expiry (guess: a real URL's signature
// is opaque to clients anyway).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoredMedia } from './records.ts';

/** Every object-store path: `/objects` + the media path it serves. */
export const OBJECT_PREFIX = '/objects';
/** The route key of the object store in request logs and fault scripts. */
export const OBJECT_ROUTE = 'GET /objects/:key';
/** How long a presigned URL stays valid (Bird's are reported to last 15 minutes). */
export const PRESIGNED_TTL_SECONDS = 900;

/** A reply as the emulator's HTTP layer writes it. */
export interface ObjectReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const s3Error = (status: number, code: string, message: string): ObjectReply => ({ status, body: JSON.stringify({ code, message }) });

/** `20250101T120000Z`, SigV4's date format. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
}

export class ObjectStore {
  readonly #secret = randomBytes(32);

  constructor(
    /** `http://127.0.0.1:PORT` of the object store's own listener. */
    readonly origin: string,
    private readonly now: () => number,
  ) {}

  #sign(path: string, date: string, expires: string): string {
    return createHmac('sha256', this.#secret).update(`GET\n${path}\n${date}\n${expires}`).digest('hex');
  }

  /** The presigned URL of the object behind `mediaPath`, valid for PRESIGNED_TTL_SECONDS from now. */
  presign(mediaPath: string): string {
    const path = `${OBJECT_PREFIX}${mediaPath}`;
    const date = amzDate(this.now());
    const expires = String(PRESIGNED_TTL_SECONDS);
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `EMULATORAKIAEXAMPLE/${date.slice(0, 8)}/eu-west-1/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': this.#sign(path, date, expires),
    });
    return `${this.origin}${path}?${query}`;
  }

  /**
   * How Bird answers a media path: 302 to the presigned URL, or with `?redirect=false` that URL as JSON. Guess
   * (bird-api.md §10.5): public client code reads it from a `Location` field.
   */
  redirect(mediaPath: string, query: Record<string, string | string[]>): ObjectReply {
    const location = this.presign(mediaPath);
    if (query.redirect === 'false') return { status: 200, body: JSON.stringify({ Location: location }) };
    return { status: 302, headers: { location }, body: '' };
  }

  /**
   * Answers one request: 400 when an Authorization header rides along, 403 for a missing, wrong or expired signature,
   * 404 for an unknown object, else the bytes with their content type.
   */
  serve(
    method: string,
    path: string,
    query: Record<string, string | string[]>,
    authorization: string | undefined,
    lookup: (mediaPath: string) => StoredMedia | undefined,
  ): ObjectReply {
    if (method !== 'GET' && method !== 'HEAD') return { ...s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'), headers: { allow: 'GET, HEAD' } };
    if (authorization !== undefined) {
      return s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
    }
    const one = (name: string): string | undefined => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    const date = one('X-Amz-Date');
    const expires = one('X-Amz-Expires');
    const signature = one('X-Amz-Signature');
    if (one('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || date === undefined || expires === undefined || signature === undefined) {
      return s3Error(403, 'AccessDenied', 'Query-string authentication requires the X-Amz-Algorithm, X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters');
    }
    const expected = Buffer.from(this.#sign(path, date, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    const signedAt = parseAmzDate(date);
    if (signedAt === undefined || !/^\d+$/.test(expires) || signedAt + Number(expires) * 1000 < this.now()) {
      return s3Error(403, 'AccessDenied', 'Request has expired');
    }
    const stored = path.startsWith(`${OBJECT_PREFIX}/`) ? lookup(path.slice(OBJECT_PREFIX.length)) : undefined;
    if (!stored) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    return { status: 200, headers: { 'content-type': stored.contentType }, body: method === 'HEAD' ? undefined : stored.bytes };
  }
}
