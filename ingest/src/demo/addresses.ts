/**
 * Where the demo's clients come from: address blocks of access providers in the countries of
 * Kibotics' audience (mostly Spain, some Latin America and the rest of Europe), so a new user's
 * Visitors map looks like Kibotics' own. Only the country look-up sees them: the gateway stores no
 * address. The test of the generator checks every block against the bundled country database.
 */
import { Weighted, type Rng } from './random.js';

type Country = 'ES' | 'MX' | 'AR' | 'CO' | 'CL' | 'PT' | 'FR' | 'IT' | 'DE';

/** IPv4 blocks (CIDR), and IPv6 /32 prefixes, per country. */
export const AUDIENCE_BLOCKS: Record<Country, { v4: string[]; v6?: string }> = {
  ES: { v4: ['83.32.0.0/11', '88.0.0.0/11', '80.24.0.0/13', '2.136.0.0/13', '79.144.0.0/12'], v6: '2a02:9000' },
  MX: { v4: ['187.128.0.0/11'] },
  AR: { v4: ['181.4.0.0/14', '181.8.0.0/13', '190.16.0.0/14'] },
  CO: { v4: ['181.48.0.0/12'] },
  CL: { v4: ['190.160.0.0/14', '200.104.0.0/16'] },
  PT: { v4: ['85.240.0.0/13', '2.80.0.0/14'] },
  FR: { v4: ['90.0.0.0/11'], v6: '2a01:cb00' },
  IT: { v4: ['79.0.0.0/10'] },
  DE: { v4: ['84.128.0.0/10'], v6: '2003:e0' },
};

/** Visitors and homes: Kibotics is Spanish; Latin America and the rest of Europe follow. */
const AUDIENCE = new Weighted<Country>([
  ['ES', 70],
  ['MX', 6],
  ['AR', 5],
  ['CO', 4],
  ['CL', 3],
  ['PT', 4],
  ['FR', 3],
  ['IT', 3],
  ['DE', 2],
]);

function v4In(cidr: string, rng: Rng): string {
  const [base, bits] = cidr.split('/') as [string, string];
  const start = base.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  let n: number;
  do n = start + rng.int(1, size - 2);
  while (n % 256 === 0 || n % 256 === 255);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** An address in `country`, IPv6 for a share of the countries that have a prefix here. */
export function addressIn(country: Country, rng: Rng, v6Share = 0.25): string {
  const blocks = AUDIENCE_BLOCKS[country];
  if (blocks.v6 !== undefined && rng.chance(v6Share)) {
    const h = () => rng.int(0, 0xffff).toString(16);
    return `${blocks.v6}:${h()}:${h()}::${h()}`;
  }
  return v4In(rng.pick(blocks.v4), rng);
}

/** A client somewhere in Kibotics' audience. */
export function audienceAddress(rng: Rng): string {
  return addressIn(AUDIENCE.pick(rng), rng);
}
