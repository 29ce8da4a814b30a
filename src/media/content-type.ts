// Media types of uploads: RFC 6838 syntax, magic-byte sniffing of the common kinds, and how a download is disposed.

/** Longest media type we pass to Bird (type, subtype and parameters); real ones are far shorter. */
export const MAX_CONTENT_TYPE_LENGTH = 255;

/**
 * RFC 6838 §4.2: `type/subtype`, each a restricted-name (a letter or digit, then up to 126 of `! # $ & - ^ _ . +`
 * and alphanumerics), optionally followed by RFC 9110 parameters `; name=value` (token or quoted string). Bird's
 * storage form repeats the value as its `Content-Type` field, so anything looser could split the form.
 */
const RESTRICTED_NAME = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}';
const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const QUOTED = '"(?:[^"\\\\\\x00-\\x08\\x0a-\\x1f\\x7f]|\\\\[\\x09\\x20-\\x7e])*"';
const MEDIA_TYPE = new RegExp(`^(${RESTRICTED_NAME})/(${RESTRICTED_NAME})((?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*)$`);

/** Why `value` is not a media type we accept, or null when it is. */
export function contentTypeProblem(value: string): string | null {
  if (value.length === 0) return 'A media type is required, e.g. `image/png`.';
  if (value.length > MAX_CONTENT_TYPE_LENGTH) return `A media type is at most ${MAX_CONTENT_TYPE_LENGTH} characters.`;
  if (!MEDIA_TYPE.test(value)) return 'Not a media type: expected `type/subtype` (RFC 6838), e.g. `image/png` or `application/pdf`.';
  return null;
}

/** The lower-cased `type/subtype` of a media type without its parameters (`Image/PNG; x=1` → `image/png`). */
export function essenceOf(contentType: string): string {
  return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
}

/**
 * The kinds recognised by their first bytes. `declared` lists the media types that may carry those bytes; the
 * first one is the canonical type. ISO BMFF (`ftyp` at offset 4) covers MP4 and its relatives (QuickTime, 3GPP,
 * M4A, HEIF, AVIF), which share the container.
 */
const KINDS = [
  { kind: 'png', declared: ['image/png', 'image/apng'], test: (b: Uint8Array) => startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { kind: 'jpeg', declared: ['image/jpeg', 'image/pjpeg', 'image/jpg'], test: (b: Uint8Array) => startsWith(b, 0, [0xff, 0xd8, 0xff]) },
  { kind: 'gif', declared: ['image/gif'], test: (b: Uint8Array) => startsWithText(b, 0, 'GIF87a') || startsWithText(b, 0, 'GIF89a') },
  { kind: 'webp', declared: ['image/webp'], test: (b: Uint8Array) => startsWithText(b, 0, 'RIFF') && startsWithText(b, 8, 'WEBP') },
  { kind: 'pdf', declared: ['application/pdf', 'application/x-pdf'], test: (b: Uint8Array) => startsWithText(b, 0, '%PDF-') },
  {
    kind: 'mp4',
    declared: [
      'video/mp4',
      'audio/mp4',
      'video/quicktime',
      'video/3gpp',
      'video/3gpp2',
      'audio/3gpp',
      'audio/x-m4a',
      'audio/m4a',
      'video/x-m4v',
      'image/heic',
      'image/heif',
      'image/avif',
      'application/mp4',
    ],
    test: (b: Uint8Array) => startsWithText(b, 4, 'ftyp'),
  },
] as const;

export type SniffedKind = (typeof KINDS)[number]['kind'];

/** How many leading bytes `sniff` looks at. */
export const SNIFF_BYTES = 16;

function startsWith(bytes: Uint8Array, offset: number, prefix: readonly number[]): boolean {
  return bytes.length >= offset + prefix.length && prefix.every((byte, i) => bytes[offset + i] === byte);
}

function startsWithText(bytes: Uint8Array, offset: number, text: string): boolean {
  return startsWith(bytes, offset, [...text].map((c) => c.charCodeAt(0)));
}

/** The kind the leading bytes reveal, or null for anything else. */
export function sniff(head: Uint8Array): SniffedKind | null {
  return KINDS.find((k) => k.test(head))?.kind ?? null;
}

/**
 * Why the declared type does not fit the bytes, or null. Two rules, both on the type's essence:
 * - a declared type we can recognise (png, jpeg, gif, webp, pdf, mp4 and relatives) needs bytes of that kind;
 * - bytes of a recognised kind need a declared type of that kind, so a PNG cannot be stored as `text/html` or
 *   `image/svg+xml`. Only the generic `application/octet-stream` ("some bytes") is let through.
 */
export function declaredTypeMismatch(declared: string, head: Uint8Array): string | null {
  const essence = essenceOf(declared);
  const actual = sniff(head);
  const claimed = KINDS.find((k) => (k.declared as readonly string[]).includes(essence));
  if (claimed && claimed.kind !== actual) {
    return `The file is declared as ${essence} but its content is ${actual === null ? 'not' : `a ${actual.toUpperCase()} file, not`} ${claimed.kind.toUpperCase()}.`;
  }
  if (!claimed && actual !== null && essence !== 'application/octet-stream') {
    const expected = KINDS.find((k) => k.kind === actual)?.declared[0];
    return `The file is declared as ${essence} but its content is a ${actual.toUpperCase()} file (${expected}).`;
  }
  return null;
}

/**
 * `inline` only for types a browser renders without running anything: raster images and PDF. Everything else,
 * notably `image/svg+xml` and `text/html` (which could run script on our origin), is sent as an attachment.
 */
export function dispositionFor(contentType: string): 'inline' | 'attachment' {
  const essence = essenceOf(contentType);
  if (essence === 'application/pdf') return 'inline';
  if (essence.startsWith('image/') && essence !== 'image/svg+xml' && !essence.includes('xml')) return 'inline';
  return 'attachment';
}
