// Verifies a Bird webhook signature (bird-api.md §8.4): HMAC-SHA256 over timestamp, the full URL Bird called and the body's SHA-256, checked in constant time, within a time window.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Bird's timestamps within this many seconds of our clock (either side) are accepted. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureVerdict = 'valid' | 'missing' | 'stale' | 'mismatch';

export interface SignedRequest {
  /** `messagebird-signature`: base64 of the HMAC. */
  signature: string | null;
  /** `messagebird-request-timestamp`: Unix seconds. */
  timestamp: string | null;
  /** The URL Bird called: scheme, host, path and query (behind a proxy, rebuilt from PUBLIC_URL). */
  url: string;
  /** The raw body, byte for byte as received. */
  body: Uint8Array;
}

/** The signature Bird sends for (timestamp, url, body) under `signingKey`. */
export function webhookSignature(signingKey: string, timestamp: string, url: string, body: Uint8Array): Buffer {
  const digest = createHash('sha256').update(body).digest();
  return createHmac('sha256', signingKey).update(`${timestamp}\n${url}\n`, 'utf8').update(digest).digest();
}

/**
 * 'valid', or why not: 'missing' (no signature or timestamp header, or not in their format), 'stale' (timestamp
 * outside ±toleranceSeconds of `nowMs`) or 'mismatch'. The comparison is constant-time over the decoded bytes.
 */
export function verifySignature(
  request: SignedRequest,
  { signingKey, nowMs = Date.now(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS }: { signingKey: string; nowMs?: number; toleranceSeconds?: number },
): SignatureVerdict {
  const { signature, timestamp } = request;
  if (signature === null || timestamp === null || !/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9+/]{1,200}={0,2}$/.test(signature)) return 'missing';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return 'stale';
  const given = Buffer.from(signature, 'base64');
  const expected = webhookSignature(signingKey, timestamp, request.url, request.body);
  // timingSafeEqual needs equal lengths; a wrong length says nothing about the key.
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'mismatch';
}
