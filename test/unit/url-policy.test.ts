// The media-URL policy's host checks (issue 15 item 12): internal addresses in every spelling the URL parser keeps,
// trailing-dot and empty-label names, and the IPv6 forms that embed an IPv4 address (NAT64, 6to4, Teredo).
import { describe, expect, it } from 'vitest';
import { mediaUrlProblem } from '../../src/media/url-policy.ts';

const refused = (url: string) => mediaUrlProblem(url, () => false);

describe('mediaUrlProblem: internal hosts in any spelling', () => {
  it.each([
    // trailing dots and empty labels
    'https://localhost../a.png',
    'https://localhost.../a.png',
    'https://printer.local../a.png',
    'https://a..example.com/a.png',
    // NAT64 (RFC 6052 well-known prefix and RFC 8215 local-use prefix) of internal and public IPv4 addresses
    'https://[64:ff9b::7f00:1]/a.png',
    'https://[64:ff9b::10.0.0.1]/a.png',
    'https://[64:ff9b::808:808]/a.png',
    'https://[64:ff9b:1::a9fe:a9fe]/a.png',
    // 6to4 (2002::/16)
    'https://[2002:7f00:1::]/a.png',
    'https://[2002:a9fe:a9fe::1]/a.png',
    'https://[2002:808:808::1]/a.png',
    // Teredo (2001::/32), which carries an obfuscated client IPv4 address
    'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/a.png',
    'https://[2001::7f00:1]/a.png',
    // IPv4-compatible, IPv4-mapped and translated forms, unassigned and special IPv6 space
    'https://[::7f00:1]/a.png',
    'https://[::ffff:a9fe:a9fe]/a.png',
    'https://[::ffff:0:7f00:1]/a.png',
    'https://[100::1]/a.png',
    'https://[2001:db8::1]/a.png',
    'https://[3fff::1]/a.png',
    'https://[5f00::1]/a.png',
    'https://[4000::1]/a.png',
    // IPv4 special ranges
    'https://255.255.255.255/a.png',
    'https://192.0.0.8/a.png',
    'https://192.31.196.1/a.png',
    'https://198.19.0.1/a.png',
  ])('refuses %s', (url) => {
    expect(refused(url)).toMatch(/loopback, private or local address|not a public unicast address/);
  });

  it.each(['https://cdn.example.com/a.png', 'https://cdn.example.com./a.png', 'https://8.8.8.8/a.png', 'https://[2606:4700:4700::1111]/a.png', 'https://[2a00:1450:4001:82b::200e]/a.png'])(
    'accepts %s',
    (url) => {
      expect(refused(url)).toBeNull();
    },
  );
});
