// Signed media links (round trip, tamper, expiry, no key in clear) and the media-type rules (syntax, sniffing, disposition).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentTypeProblem, declaredTypeMismatch, dispositionFor, sniff } from '../../src/media/content-type.ts';
import { createMediaLinkIssuer, deriveMediaLinkKeys, openMediaLink, sealMediaLink } from '../../src/media/links.ts';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const KEY = 'live_sk_0123456789abcdefSECRET';
const MEDIA = 'https://media.api.bird.com/workspaces/0b6e3f4a-2c1d-4e8f-a5b7-91d2c3e4f501/media/f0e1d2c3-b4a5-4968-8776-655443322101';
const NOW = 1_750_000_000;
const keys = deriveMediaLinkKeys(SECRET);
const claims = { mediaUrl: MEDIA, credential: { scheme: 'AccessKey' as const, token: KEY }, expiresAt: NOW + 900 };

describe('signed media links', () => {
  it('round-trips the media URL, the credential and the expiry', () => {
    const token = sealMediaLink(keys, claims);
    expect(token).toMatch(/^m1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(openMediaLink(keys, token, NOW)).toEqual({ ok: true, claims });
    expect(openMediaLink(keys, token, NOW + 899)).toMatchObject({ ok: true });
  });

  it('never carries the key in clear: every part, decoded, is free of it', () => {
    const token = sealMediaLink(keys, claims);
    const readable = [token, ...token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1'))];
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['c', 'e', 'u']);
    expect(payload.u).toBe(MEDIA);
    for (const text of [...readable, Buffer.from(payload.c as string, 'base64url').toString('latin1')]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(Buffer.from(KEY).toString('base64'));
      expect(text).not.toContain(Buffer.from(KEY).toString('base64url'));
    }
    // Fresh IV per token: the same claims never give the same ciphertext.
    expect(sealMediaLink(keys, claims)).not.toBe(token);
  });

  it('is expired at its expiry second, and only a genuine token can be expired', () => {
    const token = sealMediaLink(keys, claims);
    expect(openMediaLink(keys, token, NOW + 900)).toEqual({ ok: false, reason: 'expired' });
    const [v, body] = token.split('.') as [string, string];
    expect(openMediaLink(keys, `${v}.${body}.${'A'.repeat(43)}`, NOW + 10_000)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses every tampered, foreign or malformed token as invalid', () => {
    const token = sealMediaLink(keys, claims);
    const [v, body, sig] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u: string; e: number; c: string };
    const reencode = (p: object) => Buffer.from(JSON.stringify(p)).toString('base64url');
    // The last character of a 32-byte signature in base64url carries 4 spare bits: flipping one of them spells the
    // same bytes differently. Tokens are compared as written, so that spelling is another token, and invalid.
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = `${sig.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(sig.slice(-1)) ^ 1]}`;
    expect(Buffer.from(sameBytes, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    const cases = [
      `${v}.${body}.${sameBytes}`,
      `${v}.${reencode({ ...payload, u: `${MEDIA}x` })}.${sig}`,
      `${v}.${reencode({ ...payload, e: payload.e + 3600 })}.${sig}`,
      `${v}.${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      `${v}.${body}`,
      `m2.${body}.${sig}`,
      `${token}.extra`,
      '',
      'm1..',
      'x'.repeat(10_000),
      sealMediaLink(deriveMediaLinkKeys(`${SECRET}-other`), claims),
    ];
    for (const candidate of cases) expect(openMediaLink(keys, candidate, NOW), candidate.slice(0, 30)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('detects a swapped ciphertext even under a valid signature (associated data binds it to the URL)', () => {
    // Two genuine tokens for different URLs: take the encrypted credential of one into the other and sign it
    // properly (as if the MAC key had leaked): GCM's associated data still refuses it.
    const a = sealMediaLink(keys, claims);
    const b = sealMediaLink(keys, { ...claims, mediaUrl: `${MEDIA}0` });
    const pa = JSON.parse(Buffer.from(a.split('.')[1] as string, 'base64url').toString('utf8')) as { c: string };
    const pb = JSON.parse(Buffer.from(b.split('.')[1] as string, 'base64url').toString('utf8')) as { u: string; e: number };
    const body = Buffer.from(JSON.stringify({ u: pb.u, e: pb.e, c: pa.c })).toString('base64url');
    const sig = createHmac('sha256', keys.mac).update(`m1.${body}`).digest('base64url');
    expect(openMediaLink(keys, `m1.${body}.${sig}`, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('issues links on the request origin or PUBLIC_URL, only for Bird media, only with a credential', () => {
    const issuer = createMediaLinkIssuer({
      secret: SECRET,
      ttlSeconds: 900,
      mediaOrigin: 'https://media.api.bird.com',
      publicUrl: null,
      now: () => NOW * 1000,
    });
    const links = issuer.forRequest({ url: 'https://gql.example.com/graphql' }, claims.credential);
    const link = links.downloadUrl(MEDIA) as string;
    expect(link).toMatch(/^https:\/\/gql\.example\.com\/media\/m1\./);
    expect(openMediaLink(keys, link.split('/media/')[1] as string, NOW)).toEqual({ ok: true, claims });
    expect(links.downloadUrl(new URL(MEDIA))).toMatch(/^https:\/\/gql\.example\.com\/media\//);
    expect(links.downloadUrl('https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
    expect(links.downloadUrl('http://cdn.example.com/a.png')).toBe('http://cdn.example.com/a.png');
    expect(links.downloadUrl('javascript:alert(1)')).toBeNull();
    expect(links.downloadUrl('data:text/html,hi')).toBeNull();
    expect(links.downloadUrl('/relative')).toBeNull();
    expect(links.downloadUrl(null)).toBeNull();
    expect(issuer.forRequest({ url: 'https://gql.example.com/graphql' }, null).downloadUrl(MEDIA)).toBeNull();

    const behindProxy = createMediaLinkIssuer({ secret: SECRET, ttlSeconds: 60, mediaOrigin: 'https://media.api.bird.com', publicUrl: 'https://api.example.com/bird' });
    expect(behindProxy.forRequest({ url: 'http://10.0.0.5:4000/graphql' }, claims.credential).downloadUrl(MEDIA)).toMatch(
      /^https:\/\/api\.example\.com\/bird\/media\/m1\./,
    );
  });
});

describe('media types', () => {
  it.each(['image/png', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain; charset=utf-8', 'audio/ogg; codecs="opus"', 'image/svg+xml'])(
    'accepts %s',
    (type) => expect(contentTypeProblem(type)).toBeNull(),
  );

  it.each(['', 'png', 'image/', '/png', 'image/png/x', 'image /png', 'image/png;', 'image/png; charset', 'image/png\r\nx: y', 'imäge/png', `a/${'b'.repeat(300)}`])(
    'refuses %j',
    (type) => expect(contentTypeProblem(type)).not.toBeNull(),
  );

  const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]);
  const GIF = new TextEncoder().encode('GIF87a....');
  const WEBP = new TextEncoder().encode('RIFF\x10\x00\x00\x00WEBPVP8 ');
  const PDF = new TextEncoder().encode('%PDF-1.4\n');
  const MP4 = Uint8Array.from([0, 0, 0, 0x20, ...new TextEncoder().encode('ftypisom')]);

  it('sniffs the common kinds', () => {
    expect([PNG, JPEG, GIF, WEBP, PDF, MP4, new TextEncoder().encode('<svg')].map(sniff)).toEqual(['png', 'jpeg', 'gif', 'webp', 'pdf', 'mp4', null]);
  });

  it('matches declared types against the bytes, both ways', () => {
    expect(declaredTypeMismatch('image/png', PNG)).toBeNull();
    expect(declaredTypeMismatch('IMAGE/PNG; x=1', PNG)).toBeNull();
    expect(declaredTypeMismatch('video/quicktime', MP4)).toBeNull();
    expect(declaredTypeMismatch('application/octet-stream', PNG)).toBeNull();
    expect(declaredTypeMismatch('text/plain', new TextEncoder().encode('hello'))).toBeNull();
    expect(declaredTypeMismatch('image/png', JPEG)).toMatch(/declared as image\/png but its content is a JPEG file, not PNG/);
    expect(declaredTypeMismatch('application/pdf', new TextEncoder().encode('<html>'))).toMatch(/not PDF/);
    expect(declaredTypeMismatch('text/html', PNG)).toMatch(/PNG file \(image\/png\)/);
    expect(declaredTypeMismatch('image/svg+xml', GIF)).toMatch(/GIF/);
  });

  it('serves only raster images and PDF inline', () => {
    expect(['image/png', 'image/jpeg', 'application/pdf', 'IMAGE/GIF'].map(dispositionFor)).toEqual(['inline', 'inline', 'inline', 'inline']);
    expect(['image/svg+xml', 'text/html', 'text/plain', 'application/xhtml+xml', 'video/mp4', 'application/octet-stream'].map(dispositionFor)).toEqual(
      Array(6).fill('attachment'),
    );
  });
});
