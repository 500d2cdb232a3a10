/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the few samplers the demo needs.
 * Nothing here reads Math.random or the clock: the same seed gives the same numbers on every
 * machine and Node version (only 32-bit integer arithmetic and IEEE doubles are involved).
 */

/** Mixes any number of integers and strings into one 32-bit seed (FNV-1a over the parts, then splitmix32). */
export function hashSeed(...parts: Array<number | string>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = typeof part === 'number' ? `#${part}` : `$${part}`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff; // separator, so ('ab','c') and ('a','bc') differ
    h = Math.imul(h, 0x01000193);
  }
  return splitmix32(h >>> 0);
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = splitmix32(seed);
    this.b = splitmix32(this.a ^ 0x6a09e667);
    this.c = splitmix32(this.b ^ 0xbb67ae85);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32(); // warm up
  }

  /** A uniform 32-bit unsigned integer (sfc32). */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box–Muller; one value per call keeps the stream simple). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-distributed count (Knuth for small means, normal approximation for large ones). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A lowercase alphanumeric identifier, like a Django session key. */
  id(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += ID_ALPHABET[this.u32() % 36];
    return s;
  }
}

/** Weighted choice with precomputed cumulative weights (binary search: cheap in hot loops). */
export class Weighted<T> {
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(readonly items: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    this.cumulative = items.map(([, w]) => (sum += w));
    this.total = sum;
    if (!(sum > 0)) throw new Error('Weighted: weights must add up to more than zero');
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]![0];
  }
}

/**
 * An empirical distribution given by quantiles: [[0, min], [0.05, p5], …, [1, max]].
 * Sampling interpolates linearly between neighbouring quantiles (inverse-CDF sampling).
 */
export class Quantiles {
  constructor(private readonly points: ReadonlyArray<readonly [number, number]>) {
    if (points.length < 2 || points[0]![0] !== 0 || points[points.length - 1]![0] !== 1) {
      throw new Error('Quantiles: need points from p=0 to p=1');
    }
  }

  sample(rng: Rng): number {
    const u = rng.next();
    const pts = this.points;
    let i = 1;
    while (i < pts.length - 1 && pts[i]![0] <= u) i++;
    const [p0, v0] = pts[i - 1]!;
    const [p1, v1] = pts[i]!;
    return v0 + ((u - p0) / (p1 - p0)) * (v1 - v0);
  }
}
