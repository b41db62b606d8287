// SplitMix64, the one random sequence of the control-file spec (docs/control-file.md 3.3).
// 64-bit words are kept as two unsigned 32-bit halves in plain numbers (no BigInt on the
// decision path: BigInt arithmetic allocates and is ~20x slower in V8).

const TWO_32 = 4294967296;

/** The unsigned 64-bit product (ah:al) × (bh:bl) mod 2^64, into `out` as [hi, lo]. */
function multiply(ah: number, al: number, bh: number, bl: number, out: Uint32Array): void {
  // al × bl needs all 64 bits: split into 16-bit limbs so every partial product is exact.
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const low = a0 * b0;
  const middle1 = a1 * b0 + (low >>> 16);
  const middle2 = a0 * b1 + (middle1 & 0xffff);
  const carry = a1 * b1 + Math.floor(middle1 / 65536) + Math.floor(middle2 / 65536);
  out[1] = ((middle2 & 0xffff) << 16) | (low & 0xffff);
  // The cross terms only reach the high half, where Math.imul's wrap-around is exact mod 2^32.
  out[0] = carry + Math.imul(ah, bl) + Math.imul(al, bh);
}

const scratch = new Uint32Array(2);

/** The SplitMix64 finaliser of (hi:lo), into `out` as [hi, lo]. */
export function mix(hi: number, lo: number, out: Uint32Array): void {
  lo = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
  hi = (hi ^ (hi >>> 30)) >>> 0;
  multiply(hi, lo, 0xbf58476d, 0x1ce4e5b9, scratch);
  hi = scratch[0];
  lo = scratch[1];
  lo = (lo ^ ((lo >>> 27) | (hi << 5))) >>> 0;
  hi = (hi ^ (hi >>> 27)) >>> 0;
  multiply(hi, lo, 0x94d049bb, 0x133111eb, scratch);
  hi = scratch[0];
  lo = scratch[1];
  out[1] = lo ^ ((lo >>> 31) | (hi << 1));
  out[0] = hi ^ (hi >>> 31);
}

/** One SplitMix64 sequence; `draw` holds the last draw as [hi, lo]. */
export class Sequence {
  private hi: number;
  private lo: number;
  readonly draw = new Uint32Array(2);

  constructor(seed: number | bigint) {
    const value = BigInt.asUintN(64, BigInt(seed));
    this.hi = Number(value >> 32n);
    this.lo = Number(value & 0xffffffffn);
  }

  /** state += golden gamma; draw = mix(state). */
  next(): Uint32Array {
    const lo = this.lo + 0x7f4a7c15;
    this.lo = lo >>> 0;
    this.hi = (this.hi + 0x9e3779b9 + (lo >= TWO_32 ? 1 : 0)) >>> 0;
    mix(this.hi, this.lo, this.draw);
    return this.draw;
  }
}

/**
 * The percent test of one flag: `q = percent / 100`; `always` when q ≥ 1, else the draw
 * passes when below T = floor(q × 2^64), kept as its two halves.
 */
export class Threshold {
  readonly always: boolean;
  readonly hi: number;
  readonly lo: number;

  constructor(readonly percent: number) {
    const q = percent / 100;
    this.always = q >= 1;
    const t = this.always ? 0 : Math.floor(q * 18446744073709551616); // exact: only the exponent changes
    this.hi = Math.floor(t / TWO_32);
    this.lo = t - this.hi * TWO_32;
  }

  /** Whether the seeded draw [hi, lo] passes (unsigned 64-bit d < T). */
  passes(draw: Uint32Array): boolean {
    return this.always || draw[0] < this.hi || (draw[0] === this.hi && draw[1] < this.lo);
  }
}

const JITTER_SALT_HI = 0xd1b54a32;
const JITTER_SALT_LO = 0xd192ed03;
const jitterBits = new Uint32Array(2);

/** latency ± jitter in whole nanoseconds from one seeded draw, clamped at 0 (3.3 "Delay"). */
export function seededDelayNs(draw: Uint32Array, latencyNs: number, jitterNs: number): number {
  if (jitterNs === 0) return latencyNs;
  mix((draw[0] ^ JITTER_SALT_HI) >>> 0, (draw[1] ^ JITTER_SALT_LO) >>> 0, jitterBits);
  // The high 64 bits of a 64 × 49-bit product: exact in BigInt (only seeded flags with jitter).
  const bits = (BigInt(jitterBits[0]) << 32n) | BigInt(jitterBits[1]);
  const offset = Number((bits * BigInt(2 * jitterNs + 1)) >> 64n);
  return Math.max(0, latencyNs + offset - jitterNs);
}

/** Unseeded flags (any uniform source is conformant there, 3.3): Math.random's delay offset. */
export function randomDelayNs(latencyNs: number, jitterNs: number): number {
  if (jitterNs === 0) return latencyNs;
  // 2J + 1 ≤ 1.8e14 < 2^53: every offset in [0, 2J] is reachable with equal odds to within 2^-52.
  return Math.max(0, latencyNs + Math.floor(Math.random() * (2 * jitterNs + 1)) - jitterNs);
}
