// The key under which a client address is counted (login throttle, stream caps). An IPv6 client usually holds a
// whole /64 and can pick any address in it, so IPv6 addresses count by their /64; IPv4 (also IPv4-mapped IPv6)
// by the address itself. A hand parser: the address comes from the socket or X-Forwarded-For.
import { isIPv4, isIPv6 } from 'node:net';

const MAPPED_V4 = '::ffff:';

/** The first four 16-bit groups of an IPv6 address (zone removed), as lower-case hex without leading zeros. */
function prefix64(address: string): string {
  const zone = address.indexOf('%');
  const bare = zone === -1 ? address : address.slice(0, zone);
  const gap = bare.indexOf('::');
  const headText = gap === -1 ? bare : bare.slice(0, gap);
  const tailText = gap === -1 ? '' : bare.slice(gap + 2);
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const head = groups(headText);
  const tail = groups(tailText);
  // An embedded IPv4 tail (a.b.c.d) stands for two groups.
  const tailGroups = tail.length && tail[tail.length - 1].includes('.') ? tail.length + 1 : tail.length;
  const headGroups = head.length && gap === -1 && head[head.length - 1].includes('.') ? head.length + 1 : head.length;
  const zeros = new Array<string>(Math.max(0, 8 - headGroups - tailGroups)).fill('0');
  const all = [...head, ...zeros, ...tail];
  return all
    .slice(0, 4)
    .map((g) => (g.includes('.') ? g : (parseInt(g, 16) || 0).toString(16)))
    .join(':');
}

export function clientAddressKey(address: string): string {
  const lower = address.toLowerCase();
  if (lower.startsWith(MAPPED_V4) && isIPv4(lower.slice(MAPPED_V4.length))) return lower.slice(MAPPED_V4.length);
  if (isIPv6(lower)) return `${prefix64(lower)}::/64`;
  return lower;
}
