import { readFileSync } from 'node:fs';
import { BlockList } from 'node:net';
import { createRequire } from 'node:module';
import { Reader } from 'mmdb-lib';
import { ConfigError } from '../config-error.js';
import { ipOf } from './addresses.js';

/** Country look-up from an IP address, offline, from an MMDB file (no network, no download at install). */
export interface CountryLookup {
  /** ISO 3166-1 alpha-2 code, or undefined when the address is private, reserved or unknown. */
  country(ip: string): string | undefined;
}

interface CountryRecord {
  country_code?: string; // ip-location-db layout
  country?: { iso_code?: string }; // MaxMind GeoLite2/GeoIP2 layout
}

/**
 * Addresses no country owns: private, shared, loopback, link-local, documentation, benchmarking,
 * multicast and reserved ranges (RFC 6890's registries). Databases still place some of them (the
 * bundled one says AU for 198.51.100.0/24 and JP for 2001:db8::/32): they are `unknown`.
 */
const NO_COUNTRY = new BlockList();
for (const [net, bits] of [
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
] as const)
  NO_COUNTRY.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 127],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NO_COUNTRY.addSubnet(net, bits, 'ipv6');

/** Whether `ip` (IPv4 or IPv6, not ::ffff:-mapped) lies in a range no country owns. */
export function hasNoCountry(ip: string): boolean {
  return NO_COUNTRY.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
}

/**
 * Opens an MMDB file: the bundled ip-location-db "geo-whois-asn-country" database by default
 * (CC BY 4.0, NRO), or any MaxMind-layout country database given by path (GEOIP_DB).
 */
export function openCountryLookup(path?: string, maxCached = 10_000): CountryLookup {
  const file =
    path ??
    createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
  // mmdb-lib's types assume MaxMind's layout; both layouts are read as plain records.
  let reader: { get(ip: string): CountryRecord | null };
  try {
    reader = new Reader(readFileSync(file)) as unknown as typeof reader;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'is a folder, not a file'
          : e.code
            ? e.code
            : `not an MMDB country database (${e.message})`;
    throw new ConfigError(
      `GEOIP_DB (--geoip-db) '${file}': ${why}; give a MaxMind GeoLite2-Country or ip-location-db .mmdb file, or leave it unset for the bundled one`
    );
  }
  const lookUp = (ip: string): string | undefined => {
    // One spelling per address: an IPv4-mapped IPv6 address (::ffff:a.b.c.d, as Node reports IPv4
    // peers on dual-stack sockets) is its IPv4 address.
    const address = ipOf(ip) ?? ip;
    try {
      if (hasNoCountry(address)) return undefined;
      const record = reader.get(address);
      const code = record?.country_code ?? record?.country?.iso_code;
      return code ? code.toUpperCase() : undefined;
    } catch {
      return undefined;
    }
  };
  // A school's pupils share its NAT address: a bounded cache saves the tree walk (bench/README.md,
  // finding 4) for nearly every event. It lives in memory only, like the addresses the events carry in.
  const cache = new Map<string, string | undefined>();
  return {
    country(ip) {
      if (cache.has(ip)) return cache.get(ip);
      const code = lookUp(ip);
      if (cache.size >= maxCached) cache.delete(cache.keys().next().value as string);
      cache.set(ip, code);
      return code;
    },
  };
}
