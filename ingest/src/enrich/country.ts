import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader } from 'mmdb-lib';

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
export function openCountryLookup(path?: string): CountryLookup {
  const file = path ?? createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
  // mmdb-lib's types assume MaxMind's layout; both layouts are read as plain records.
  const reader = new Reader(readFileSync(file)) as unknown as { get(ip: string): CountryRecord | null };
  return {
    country(ip) {
      // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, as Node reports IPv4 peers on dual-stack sockets).
      const address = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
      try {
        const record = reader.get(address);
        const code = record?.country_code ?? record?.country?.iso_code;
        return code ? code.toUpperCase() : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
