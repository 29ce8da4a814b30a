// The media-URL policy of sends: which URLs Bird may be asked to fetch (public absolute https, or Bird's own media host).
//
// Media URLs are fetched by Bird, not by this server, but a send must not make Bird, or a demo emulator, fetch a
// loopback, private or link-local address. Names are not resolved here (that is the fetcher's job): this policy keeps
// obviously internal targets out of a send. No graphql, no schema: the schema's validator calls mediaUrlProblem().

import ipaddr from 'ipaddr.js';

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
 * Whether an IP address literal is public unicast, by ipaddr.js's tables of special ranges (IANA's special-purpose
 * registries): IPv4 must be `unicast`; IPv6 must be `unicast` inside 2000::/3, the only space IANA allocates for global
 * unicast, so every form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is refused with the rest.
 */
function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || parsed.match(GLOBAL_UNICAST_V6);
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

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
  const local = `${MEDIA_URL_MESSAGE} This one points to a loopback, private or local address.`;
  const hostname = parsed.hostname.toLowerCase();
  // One trailing dot is the fully-qualified spelling of the same name; more, or an empty label, is no public name.
  const host = hostname.replace(/\.$/, '');
  if (host.startsWith('[')) return isPublicAddress(host.slice(1, -1)) ? null : `${MEDIA_URL_MESSAGE} This one is not a public unicast address (IPv6 forms that carry an IPv4 address, such as NAT64, 6to4 or Teredo, are refused: give the IPv4 address).`;
  // The URL parser has already turned every IPv4 spelling (0x7f.1, 2130706433, …) into dotted decimal.
  if (/^[\d.]+$/.test(host)) return isPublicAddress(host) ? null : local;
  if (!host.includes('.') || host.split('.').some((label) => label === '')) return local;
  if (PRIVATE_NAME_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return local;
  return null;
}
