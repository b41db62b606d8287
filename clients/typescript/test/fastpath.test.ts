// fireDelayNs(), mode(), severity(): the fast path beyond the vectors (which the runner's
// --fast mode checks): unseeded rates and ranges, and the same sequence as decide().
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import test = require("node:test");
import { ControlReader } from "../src/index";

function readerOf(flags: object, seed?: number): ControlReader {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chaos-control-ts-")), "control.json");
  fs.writeFileSync(file, JSON.stringify({ version: 1, generation: 1, flags }));
  return new ControlReader(file, { follow: false, seed });
}

test("absent, disabled and 0 % give -1; firing without latency gives 0", () => {
  const reader = readerOf({ off: { enabled: false, latency_ms: 5 }, zero: { enabled: true, percent: 0 },
    drop: { enabled: true, mode: "fail", severity: "hard" } });
  for (const name of ["missing", "off", "zero"]) {
    for (let i = 0; i < 200; i++) assert.strictEqual(reader.fireDelayNs(name), -1, name);
  }
  assert.strictEqual(reader.fireDelayNs("drop"), 0);
  assert.deepStrictEqual([reader.mode("drop"), reader.severity("drop"), reader.mode("missing")], ["fail", "hard", null]);
});

test("unseeded: rate near 50 %, whole-ns delays over the range, clamped at 0", () => {
  const reader = readerOf({ half: { enabled: true, percent: 50, latency_ms: 5, jitter_ms: 2 },
    clamp: { enabled: true, latency_ms: 1, jitter_ms: 3 } });
  const fired = Array.from({ length: 20000 }, () => reader.fireDelayNs("half")).filter((d) => d >= 0);
  assert.ok(fired.length > 9000 && fired.length < 11000, String(fired.length));   // 14 sigma wide
  assert.ok(fired.every((d) => Number.isInteger(d) && d >= 3_000_000 && d <= 7_000_000));
  assert.ok(Math.min(...fired) < 3_100_000 && Math.max(...fired) > 6_900_000);
  const clamped = Array.from({ length: 3000 }, () => reader.fireDelayNs("clamp"));
  assert.ok(clamped.every((d) => d >= 0));
  assert.ok(clamped.filter((d) => d === 0).length > 700);   // [-2, 4] ms: a third clamps to 0 (~1000)
});

test("seeded: the fast path draws the same sequence as decide()", () => {
  const flags = { j: { enabled: true, percent: 50, latency_ms: 100, jitter_ms: 80, mode: "fallback" } };
  const fast = readerOf(flags, 42), whole = readerOf(flags, 42);
  const delays = Array.from({ length: 200 }, () => fast.fireDelayNs("j"));
  const decisions = Array.from({ length: 200 }, () => whole.decide("j"));
  assert.deepStrictEqual(delays, decisions.map((d) => (d.fires ? d.delayNs : -1)));
  assert.ok(delays.includes(-1) && delays.some((d) => d > 0));
});
