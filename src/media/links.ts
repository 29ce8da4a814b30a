// Signed, short-lived media links: `${publicOrigin}/media/<token>` (PUBLIC_URL or an allowed Host) carrying a Bird mediaUrl and the caller's encrypted credential.
//
// Bird serves media only with the access key, which a browser must never hold. A token lets a browser fetch one
// media URL, through our download route, with the key of whoever asked the graph for it, until it expires:
//
//   token   = "m1." + base64url(payload JSON) + "." + base64url(HMAC-SHA256(macKey, "m1." + base64url(payload)))
//   payload = { u: mediaUrl, e: expiry (epoch seconds), c: base64url(iv ‖ AES-256-GCM(encKey, credential) ‖ tag) }
//
// - The credential is encrypted (AES-256-GCM, fresh 96-bit IV per token, the mediaUrl and expiry as associated data),
//   so the key never appears in a URL, a browser history, a proxy log or a Referer in clear. The mediaUrl is not
//   secret (the graph returns it), so it stays readable.
// - The HMAC is checked first, in constant time; nothing else about an unsigned token is looked at. GCM's own tag
//   binds the ciphertext to this mediaUrl and expiry as well.
// - Both keys are derived with HKDF-SHA256 from one server secret (MEDIA_LINK_SECRET; random per process when unset,
//   so links die with the process and do not work across replicas).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Credential } from '../bird/client.ts';
import { LEGACY_MEDIA_ORIGIN } from '../bird/media.ts';

/** The path prefix of the download route. */
export const MEDIA_ROUTE_PREFIX = '/media/';
/** Tokens are bounded: a mediaUrl of Bird's shape plus an encrypted key stays well under this. */
export const MAX_TOKEN_LENGTH = 4096;
const VERSION = 'm1';
const TOKEN_PATTERN = /^m1\.([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface MediaLinkKeys {
  mac: Buffer;
  enc: Buffer;
}

/** Derives the signing and encryption keys from the server secret. */
export function deriveMediaLinkKeys(secret: string): MediaLinkKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'bird-graphql media links', info, 32));
  return { mac: derive('m1 hmac-sha256'), enc: derive('m1 aes-256-gcm') };
}

export interface MediaLinkClaims {
  mediaUrl: string;
  credential: Credential;
  /** Epoch seconds. */
  expiresAt: number;
}

export type OpenedMediaLink =
  | { ok: true; claims: MediaLinkClaims }
  /** `invalid`: malformed, unsigned or tampered (→ 404); `expired`: genuine but past its expiry (→ 410). */
  | { ok: false; reason: 'invalid' | 'expired' };

const associatedData = (mediaUrl: string, expiresAt: number) => Buffer.from(`${VERSION}|${mediaUrl}|${expiresAt}`, 'utf8');

function sign(keys: MediaLinkKeys, body: string): string {
  return createHmac('sha256', keys.mac).update(`${VERSION}.${body}`).digest('base64url');
}

export function sealMediaLink(keys: MediaLinkKeys, claims: MediaLinkClaims): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.enc, iv);
  cipher.setAAD(associatedData(claims.mediaUrl, claims.expiresAt));
  const secret = Buffer.concat([cipher.update(JSON.stringify({ s: claims.credential.scheme, t: claims.credential.token }), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([iv, secret, cipher.getAuthTag()]).toString('base64url');
  const body = Buffer.from(JSON.stringify({ u: claims.mediaUrl, e: claims.expiresAt, c: sealed }), 'utf8').toString('base64url');
  return `${VERSION}.${body}.${sign(keys, body)}`;
}

/** Verifies and decrypts a token. `nowSeconds` is injectable for tests. */
export function openMediaLink(keys: MediaLinkKeys, token: string, nowSeconds = Math.floor(Date.now() / 1000)): OpenedMediaLink {
  const invalid = { ok: false, reason: 'invalid' } as const;
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return invalid;
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return invalid;
  const [, body, signature] = match as unknown as [string, string, string];
  // Compared as text, not as decoded bytes: base64url's last character carries spare bits, so a decoded comparison
  // would accept several spellings of one signature (and so of one token).
  const expected = Buffer.from(sign(keys, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;

  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  const p = payload as { u?: unknown; e?: unknown; c?: unknown };
  if (typeof p !== 'object' || p === null || typeof p.u !== 'string' || typeof p.c !== 'string' || !Number.isSafeInteger(p.e)) return invalid;
  const expiresAt = p.e as number;
  if (expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };

  const sealed = Buffer.from(p.c, 'base64url');
  if (sealed.length <= IV_BYTES + TAG_BYTES) return invalid;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(p.u, expiresAt));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    const secret = JSON.parse(plain.toString('utf8')) as { s?: unknown; t?: unknown };
    if ((secret.s !== 'AccessKey' && secret.s !== 'Bearer') || typeof secret.t !== 'string') return invalid;
    return { ok: true, claims: { mediaUrl: p.u, expiresAt, credential: { scheme: secret.s, token: secret.t } } };
  } catch {
    return invalid;
  }
}

/** What the schema sees (`ctx.mediaLinks`): the browser-loadable URL of a media URL. */
export interface MediaLinks {
  /**
   * For a URL on Bird's media origin: a signed link of ours (null when the request has no credential to sign in).
   * For any other absolute http(s) URL: the URL itself (it is public). Anything else (relative, `javascript:`, …): null.
   */
  downloadUrl(mediaUrl: string | URL | null | undefined): string | null;
}

export interface MediaLinkIssuerOptions {
  secret: string;
  ttlSeconds: number;
  /** Bird's media origin (ctx.mediaOrigin): only URLs there get a signed link. */
  mediaOrigin: string;
  /** PUBLIC_URL, without a trailing slash; null = the origin of each request, when its Host is allowed. */
  publicUrl: string | null;
  /** Whether a request's Host header is one of ours (ALLOWED_HOSTS); absent = every host is. */
  isAllowedHost?: (host: string) => boolean;
  now?: () => number;
}

export interface MediaLinkIssuer {
  keys: MediaLinkKeys;
  ttlSeconds: number;
  /** The per-request helper: links point at PUBLIC_URL, else this request's origin, and carry its credential. */
  forRequest(request: { url: string; headers?: Pick<Headers, 'get'> }, credential: Credential | null): MediaLinks;
}

export function createMediaLinkIssuer(options: MediaLinkIssuerOptions): MediaLinkIssuer {
  const keys = deriveMediaLinkKeys(options.secret);
  const now = options.now ?? Date.now;
  return {
    keys,
    ttlSeconds: options.ttlSeconds,
    forRequest(request, credential) {
      let base: string | null | undefined;
      // Never a host the request merely claims: without PUBLIC_URL, only an allowed Host (src/security.ts) is used.
      const baseUrl = (): string | null => {
        if (base !== undefined) return base;
        const host = request.headers?.get('host') ?? null;
        const allowed = host === null || (options.isAllowedHost?.(host) ?? true);
        return (base = options.publicUrl ?? (allowed ? new URL(request.url).origin : null));
      };
      return {
        downloadUrl(mediaUrl) {
          if (mediaUrl === null || mediaUrl === undefined) return null;
          let url: URL;
          try {
            url = new URL(String(mediaUrl));
          } catch {
            return null;
          }
          if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
          // Bird's media origin, or its legacy host (inbound media still named there): only the key opens them.
          if (url.origin !== options.mediaOrigin && url.origin !== LEGACY_MEDIA_ORIGIN) return url.href;
          const origin = baseUrl();
          if (credential === null || origin === null) return null;
          const expiresAt = Math.floor(now() / 1000) + options.ttlSeconds;
          return `${origin}${MEDIA_ROUTE_PREFIX}${sealMediaLink(keys, { mediaUrl: url.href, credential, expiresAt })}`;
        },
      };
    },
  };
}
