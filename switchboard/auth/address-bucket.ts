// Which budget of the login limiter a client address spends: an IPv4 address is one, but an IPv6 host
// is usually given a whole /64 (SLAAC, privacy addresses), so it could try from a new address for
// every guess; each /64 is one. IPv4-mapped IPv6 (::ffff:192.0.2.7, what a dual-stack socket reports)
// is the IPv4 address. Anything else (a proxy's odd entry) is its own, as given.
import { isIPv4, isIPv6 } from 'node:net';

export function addressBucket(address: string): string {
  const bare =
    address
      .trim()
      .replace(/^\[|\]$/g, '')
      .split('%')[0] ?? '';
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare.slice(0, 64);
  const groups = ipv6Groups(bare.toLowerCase());
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return [groups[6] ?? 0, groups[7] ?? 0].flatMap((g) => [g >> 8, g & 0xff]).join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part is two of them). */
function ipv6Groups(address: string): number[] {
  const half = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [Number.parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  const front = half(head);
  const back = tail === undefined ? [] : half(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}
