// SplitMix64 on 32-bit halves (src/splitmix.ts) against a plain BigInt transcription of
// docs/control-file.md 3.3, over many seeds and thresholds; and the unseeded decisions.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import test = require("node:test");
import { ControlReader } from "../src/index";
import { Sequence, Threshold, seededDelayNs } from "../src/splitmix";

const MASK = (1n << 64n) - 1n;
function mix(value: bigint): bigint {
  let z = value;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}
const asBigInt = (draw: Uint32Array): bigint => (BigInt(draw[0]) << 32n) | BigInt(draw[1]);

test("draws match the spec's 64-bit arithmetic", () => {
  const fortyTwo = new Sequence(42);
  assert.deepStrictEqual([1, 2, 3].map(() => asBigInt(fortyTwo.next())),
    [0xbdd732262feb6e95n, 0x28efe333b266f103n, 0x47526757130f9f52n]);
  const seeds = [0n, 1n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, MASK, 0x9e3779b97f4a7c15n];
  for (let i = 0; i < 200; i++) seeds.push(BigInt(Math.floor(Math.random() * 2 ** 53)) * 2048n + BigInt(i));
  for (const seed of seeds) {
    const sequence = new Sequence(seed);
    let state = seed & MASK;
    for (let n = 0; n < 50; n++) {
      state = (state + 0x9e3779b97f4a7c15n) & MASK;
      assert.strictEqual(asBigInt(sequence.next()), mix(state), `seed ${seed}, draw ${n + 1}`);
    }
  }
});

test("thresholds and delays match the spec's integers", () => {
  for (const percent of [0, 1e-9, 10, 12.5, 33.3, 50, 99.9, 99.99999999, 100]) {
    const q = percent / 100;
    const t = q >= 1 ? null : BigInt(Math.floor(q * 18446744073709551616));
    const threshold = new Threshold(percent);
    const sequence = new Sequence(Math.round(percent * 1000) + 1);
    for (let n = 0; n < 200; n++) {
      const draw = sequence.next();
      assert.strictEqual(threshold.passes(draw), t === null || asBigInt(draw) < t, `percent ${percent}`);
      const jitter = 1 + n * 431_000_000;   // up to ~86 000 s, the largest jitter_ms
      const offset = (mix(asBigInt(draw) ^ 0xd1b54a32d192ed03n) * BigInt(2 * jitter + 1)) >> 64n;
      const expected = BigInt(7_000_000) + offset - BigInt(jitter);
      assert.strictEqual(seededDelayNs(draw, 7_000_000, jitter), Number(expected < 0n ? 0n : expected));
    }
  }
});

test("unseeded flags: percent near its rate, delays over the whole range, clamped at 0", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "chaos-control-ts-"));
  const file = path.join(root, "control.json");
  fs.writeFileSync(file, JSON.stringify({ version: 1, generation: 1, flags: {
    p: { enabled: true, percent: 30 },
    j: { enabled: true, latency_ms: 5, jitter_ms: 2 },
    c: { enabled: true, latency_ms: 1, jitter_ms: 3, mode: "fail" } } }));
  const reader = new ControlReader(file, { follow: false });
  try {
    let count = 0;
    for (let i = 0; i < 20000; i++) if (reader.fires("p")) count++;
    assert.ok(count > 5400 && count < 6600, `30 % of 20000, more than 9 sigma wide: ${count}`);
    const delays = Array.from({ length: 4000 }, () => reader.decide("j").delayNs);
    assert.ok(delays.every((d) => Number.isInteger(d) && d >= 3_000_000 && d <= 7_000_000));
    assert.ok(Math.min(...delays) < 3_100_000 && Math.max(...delays) > 6_900_000);
    const clamped = Array.from({ length: 2000 }, () => reader.decide("c"));
    assert.ok(clamped.every((d) => d.fires && d.delayNs >= 0 && d.mode === "fail"));
    assert.ok(clamped.filter((d) => d.delayNs === 0).length > 500, "[-2, 4] ms: a third clamps to 0");
  } finally {
    reader.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
