import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader } from 'mmdb-lib';
import { ConfigError } from '../config.js';

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
 * Opens an MMDB file: the bundled ip-location-db "geo-whois-asn-country" database by default
 * (CC BY 4.0, NRO), or any MaxMind-layout country database given by path (GEOIP_DB).
 */
export function openCountryLookup(path?: string, maxCached = 10_000): CountryLookup {
  const file = path ?? createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
  // mmdb-lib's types assume MaxMind's layout; both layouts are read as plain records.
  let reader: { get(ip: string): CountryRecord | null };
  try {
    reader = new Reader(readFileSync(file)) as unknown as typeof reader;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a folder, not a file' : e.code ? e.code : `not an MMDB country database (${e.message})`;
    throw new ConfigError(`GEOIP_DB (--geoip-db) '${file}': ${why}; give a MaxMind GeoLite2-Country or ip-location-db .mmdb file, or leave it unset for the bundled one`);
  }
  const lookUp = (ip: string): string | undefined => {
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, as Node reports IPv4 peers on dual-stack sockets).
    const address = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
    try {
      const record = reader.get(address);
      const code = record?.country_code ?? record?.country?.iso_code;
      return code ? code.toUpperCase() : undefined;
    } catch {
      return undefined;
    }
  };
  // A school's pupils share its NAT address: a bounded cache saves the tree walk (~0.7 µs) for
  // nearly every event. It lives in memory only, like the addresses the events carry in.
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
