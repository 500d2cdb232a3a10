/**
 * mulberry32: a property test's choices from one printed seed, so that a failing run can be replayed
 * (CONSERVATION_SEED and the like). Not the demo's generator: a test's seed must keep meaning the
 * same run while the demo's traffic evolves.
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
