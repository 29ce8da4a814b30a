// The media-URL policy of sends: which URLs Bird may be asked to fetch (public absolute https, or Bird's own media host).
//
// Media URLs are fetched by Bird, not by this server, but a send must not make Bird, or a demo emulator, fetch a
// loopback, private or link-local address. Names are not resolved here (that is the fetcher's job): this policy keeps
// obviously internal targets out of a send. No graphql, no schema: the schema's validator calls mediaUrlProblem().

const MEDIA_URL_MESSAGE = 'Media URLs must be public absolute https URLs: Bird downloads them.';

/**
 * Host names that never resolve publicly: `localhost`, mDNS and the special-use or customary private names
 * (RFC 6761, 6762, 8375, the ICANN-reserved `internal`), under which a fetcher may reach private services.
 */
const PRIVATE_NAME_SUFFIXES = [
  'localhost',
  'local',
  'localdomain',
  'internal',
  'intranet',
  'lan',
  'corp',
  'home.arpa',
  'arpa',
  'test',
  'invalid',
  'onion',
];

/**
 * IPv4 ranges that are not public unicast (RFC 6890): this network, private, shared, loopback, link-local,
 * documentation, benchmarking, multicast and reserved.
 */
const NON_PUBLIC_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

function isNonPublicIpv4(address: string): boolean {
  const value = ipv4ToNumber(address);
  if (value === undefined) return true;
  return NON_PUBLIC_IPV4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    return Math.floor(value / size) === Math.floor((ipv4ToNumber(base) as number) / size);
  });
}

/** The eight 16-bit groups of an IPv6 address as the WHATWG URL parser serializes it (compressed, lower-case hex). */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const groups = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function isNonPublicIpv6(address: string): boolean {
  const g = ipv6Groups(address);
  if (!g) return true;
  const [g0 = 0, g1 = 0] = g;
  const embeddedIpv4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  if (g0 < 0x0100) return true; // ::/8: unspecified, loopback, IPv4-mapped and IPv4-compatible addresses
  if (g0 === 0x64 && g1 === 0xff9b) return isNonPublicIpv4(embeddedIpv4(g[6] ?? 0, g[7] ?? 0)); // NAT64
  if (g0 === 0x2002) return isNonPublicIpv4(embeddedIpv4(g1, g[2] ?? 0)); // 6to4
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return true; // link-local, old site-local
  return (g0 & 0xff00) === 0xff00; // multicast
}

/**
 * Why Bird must not be asked to fetch `url`, or null when it may: unless `isAllowedMediaUrl` accepts it (Bird's own
 * media host, which in demo mode is the local emulator over http), a media URL must be an absolute https URL without
 * credentials whose host is a public name or a public IP address. Names are not resolved: that is Bird's fetcher's
 * job, and this check only keeps obviously internal targets out of a send.
 */
export function mediaUrlProblem(url: URL | string, isAllowedMediaUrl: (url: string) => boolean): string | null {
  const text = url instanceof URL ? url.href : String(url);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return `${MEDIA_URL_MESSAGE} This is not an absolute URL.`;
  }
  if (isAllowedMediaUrl(parsed.href)) return null;
  if (parsed.protocol !== 'https:') return `${MEDIA_URL_MESSAGE} This one uses ${parsed.protocol.slice(0, -1)}.`;
  if (parsed.username !== '' || parsed.password !== '') {
    return `${MEDIA_URL_MESSAGE} User names and passwords in the URL are not allowed.`;
  }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const local = `${MEDIA_URL_MESSAGE} This one points to a loopback, private or local address.`;
  if (host.startsWith('[')) return isNonPublicIpv6(host.slice(1, -1)) ? local : null;
  // The URL parser has already turned every IPv4 spelling (0x7f.1, 2130706433, …) into dotted decimal.
  if (/^[\d.]+$/.test(host)) return isNonPublicIpv4(host) ? local : null;
  if (!host.includes('.')) return local;
  if (PRIVATE_NAME_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return local;
  return null;
}
