import { isIP } from 'node:net';

/**
 * Client addresses hide in free text and in the `host` field (for in-browser simulations Kibotics
 * reports the child's own address as the host), in any spelling: ::ffff:-mapped, expanded or upper-case
 * IPv6, with brackets, a port or a zone, or IPv4 as one number. They are found here and removed.
 */

/** What a masked address becomes in `path`, `message` and `referrer`. */
export const MASK = '[ip]';

/** The canonical form of `text` when it is an IP address in any spelling (with a port, brackets…), else undefined. */
export function ipOf(text: string): string | undefined {
  let s = text.trim().replace(/%[\w.-]+(?=\]|$)/, ''); // an IPv6 zone index (fe80::1%eth0)
  if (s === '') return undefined;
  const kind = isIP(s);
  if (kind === 4) return s; // the common case, without a URL parse
  if (kind === 6) s = `[${s}]`;
  let host: string;
  try {
    // The WHATWG URL parser reads every IPv4 form browsers accept (0x53.0x2d.0x43.0x59, 1398096729) and
    // writes IPv6 in its one canonical form.
    host = new URL(`http://${s}/`).hostname;
  } catch {
    return undefined;
  }
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1);
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
    if (mapped === null) return v6;
    const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return isIP(host) === 4 ? host : undefined;
}

const IPV6_IN_TEXT =
  /\[?(?<![\w:.])((?:[0-9a-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}))(?:%[\w.-]+)?(?![\w:])\]?/gi;
const IPV4_IN_TEXT = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\w)/g;

/** `text` with every IP address in it replaced by MASK (times like 10:15:00 are not addresses). */
export function maskAddresses(text: string): string {
  return text
    .replace(IPV6_IN_TEXT, (m, inner: string) => (isIP(inner) === 6 && /[0-9a-f]/i.test(inner) ? MASK : m))
    .replace(IPV4_IN_TEXT, (m) => (isIP(m) === 4 ? MASK : m));
}

// A server name: DNS labels, the last one not all digits (so no IPv4 form passes for a name).
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
// Reverse-DNS names spell the client's address (83-45-67-89.dyn.example.net).
const EMBEDDED_IPV4 = /(?:^|[^\d])\d{1,3}[.-]\d{1,3}[.-]\d{1,3}[.-]\d{1,3}(?:[^\d]|$)/;

/**
 * What `host` may hold: a server's name, or an address listed in SIMULATION_HOSTS. Any other address
 * (a child's, in any spelling) and anything that is neither is dropped.
 */
export class HostPolicy {
  private readonly allowed: Set<string>;

  constructor(simulationHosts: readonly string[] = []) {
    this.allowed = new Set(simulationHosts.map((h) => ipOf(h) ?? h.toLowerCase()));
  }

  /** The host to store, or undefined to drop it. */
  keep(host: string | undefined): string | undefined {
    if (host === undefined) return undefined;
    const ip = ipOf(host);
    if (ip !== undefined) return this.allowed.has(ip) ? ip : undefined;
    if (!DNS_NAME.test(host) || /^\d+$/.test(host.slice(host.lastIndexOf('.') + 1))) return undefined;
    if (EMBEDDED_IPV4.test(host)) return undefined;
    return host;
  }
}
