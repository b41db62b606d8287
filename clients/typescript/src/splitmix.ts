// SplitMix64, the one random sequence of the control-file spec (docs/control-file.md 3.3).
// BigInt keeps the 64-bit arithmetic exact in every engine.
const MASK = (1n << 64n) - 1n;
export const GOLDEN = 0x9e3779b97f4a7c15n;
const JITTER_SALT = 0xd1b54a32d192ed03n;

export function mix(value: bigint): bigint {
  let z = value;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** Advances a sequence state: the new state, and its draw. */
export function advance(state: bigint): [bigint, bigint] {
  const next = (state + GOLDEN) & MASK;
  return [next, mix(next)];
}

/** null when every call passes the percent test; else the draw must be below this. */
export function threshold(percent: number): bigint | null {
  const q = percent / 100;
  return q >= 1 ? null : BigInt(Math.trunc(q * 18446744073709551616));
}

/** latency ± jitter in whole nanoseconds from one draw, clamped at 0. */
export function delayNs(draw: bigint, latencyNs: number, jitterNs: number): number {
  if (jitterNs === 0) return latencyNs;
  const offset = (mix(draw ^ JITTER_SALT) * BigInt(2 * jitterNs + 1)) >> 64n;
  return Math.max(0, latencyNs + Number(offset) - jitterNs);
}
