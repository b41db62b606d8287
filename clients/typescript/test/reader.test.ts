// The TypeScript reader's own tests: the bad-input list, following changes for
// real (fs.watch on the directory, rename-over, ConfigMap ..data swap, polling alone).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import test = require("node:test");
import { ControlFileError, ControlReader } from "../src/index";

function directory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "chaos-control-ts-"));
}

function writeText(file: string, text: string): void {
  const temp = path.join(path.dirname(file), ".control.json.tmp.test");
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

function writeFlags(file: string, generation: number, flags: object): void {
  writeText(file, JSON.stringify({ version: 1, generation, flags }));
}

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (condition()) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
  assert.ok(false, `${what}: not within 5 s`);
}

const GOOD = { slow: { enabled: true, latency_ms: 5 } };

function badInputs(file: string): Record<string, () => void> {
  return {
    corrupt: () => writeText(file, "\u0000{{{ not json"),
    empty: () => writeText(file, ""),
    truncated: () => writeText(file, '{"version": 1, "generation": 2, "flags": {"slow": {"enab'),
    oversized: () => writeText(file, '{"version": 1, "generation": 2, "flags": {}}'.padEnd(2 << 20)),
    "deeply nested": () => writeText(file, `{"version": 1, "generation": 2, "flags": {}, "x": ${"[".repeat(50000)}${"]".repeat(50000)}}`),
    "future version": () => writeText(file, '{"version": 2, "generation": 2, "flags": {}}'),
    "invalid flag": () => writeFlags(file, 2, { slow: { enabled: true, percent: 101 } }),
    directory: () => { fs.unlinkSync(file); fs.mkdirSync(file); },
    "symlink loop": () => { fs.unlinkSync(file); fs.symlinkSync("control.json", file); },
  };
}

test("bad input keeps the last good state and reports it", () => {
  for (const label of Object.keys(badInputs(""))) {
    const file = path.join(directory(), "control.json");
    writeFlags(file, 1, GOOD);
    const errors: ControlFileError[] = [];
    const reader = new ControlReader(file, { follow: false, onError: (e) => errors.push(e) });
    assert.ok(reader.fires("slow"), label);
    badInputs(file)[label]();
    reader.reload();
    assert.strictEqual(reader.generation, 1, label);
    assert.strictEqual(reader.decide("slow").delayNs, 5e6, label);
    assert.strictEqual(reader.fireDelayNs("slow"), 5e6, `fast path: ${label}`);
    assert.strictEqual(errors.length, 1, label);
    assert.ok(errors[0].message.includes(file), label);
    assert.strictEqual(reader.error, errors[0]);
  }
});

test("bad input before any good state fires nothing", () => {
  for (const label of Object.keys(badInputs(""))) {
    const file = path.join(directory(), "control.json");
    writeFlags(file, 0, {});
    badInputs(file)[label]();
    const reader = new ControlReader(file, { follow: false, onError: () => undefined });
    assert.strictEqual(reader.fires("slow"), false, label);
    assert.strictEqual(reader.fireDelayNs("slow"), -1, `fast path: ${label}`);
    assert.ok(reader.error !== null, label);
  }
});

test("a file that disappears means no faults and no error", () => {
  const file = path.join(directory(), "control.json");
  writeFlags(file, 1, GOOD);
  const reader = new ControlReader(file, { follow: false });
  fs.unlinkSync(file);
  reader.reload();
  assert.strictEqual(reader.fires("slow"), false);
  assert.strictEqual(reader.error, null);
});

// The watcher itself meets the bad input (no reload() here): it reports it, keeps the last
// good state, clears it when the file disappears, and keeps following.
test("while followed: a bad file, then a vanished one, then a good one", async () => {
  const file = path.join(directory(), "control.json");
  writeFlags(file, 1, GOOD);
  const errors: ControlFileError[] = [];
  const reader = new ControlReader(file, { pollIntervalMs: 3_600_000, onError: (e) => errors.push(e) });
  try {
    badInputs(file)["deeply nested"]();
    await waitFor("the watcher reports the nested file", () => errors.length === 1);
    assert.deepStrictEqual([reader.generation, reader.fireDelayNs("slow")], [1, 5e6]);
    fs.unlinkSync(file);
    await waitFor("the vanished file clears the error", () => reader.error === null);
    assert.deepStrictEqual([reader.generation, reader.fires("slow"), reader.fireDelayNs("slow")], [0, false, -1]);
    writeFlags(file, 3, GOOD);
    await waitFor("still following", () => reader.generation === 3 && reader.fires("slow"));
    assert.strictEqual(errors.length, 1);
  } finally {
    reader.close();
  }
});

test("without onError a rejected file goes to console.warn, naming the path", () => {
  const file = path.join(directory(), "control.json");
  writeText(file, "{ not json");
  const warned: unknown[][] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => { warned.push(args); };
  try {
    const reader = new ControlReader(file, { follow: false });
    assert.strictEqual(reader.fires("slow"), false);
  } finally {
    console.warn = original;
  }
  assert.strictEqual(warned.length, 1);
  assert.ok(warned[0].map(String).join(" ").includes(file), String(warned[0]));
});

test("error names flag, field and value", () => {
  const file = path.join(directory(), "control.json");
  writeFlags(file, 1, { slow: { enabled: true, percent: 150 } });
  const reader = new ControlReader(file, { follow: false, onError: () => undefined });
  assert.strictEqual(reader.error?.message, `${file}: flag "slow": field "percent": 150 must be a number 0-100`);
});

test("rename-over is seen through the directory watch", async () => {
  const file = path.join(directory(), "control.json");
  const reader = new ControlReader(file, { pollIntervalMs: 3_600_000 });
  writeFlags(file, 1, { a: { enabled: true } });
  await waitFor("rename-over", () => reader.fires("a"));
  writeFlags(file, 2, {});
  await waitFor("second write", () => reader.generation === 2);
  reader.close();
});

test("ConfigMap ..data swap is seen", async () => {
  const dir = directory();
  const file = path.join(dir, "control.json");
  let reader: ControlReader | null = null;
  for (const [index, name] of ["a", "b"].entries()) {
    fs.mkdirSync(path.join(dir, `..v${name}`));
    fs.writeFileSync(path.join(dir, `..v${name}`, "control.json"),
      JSON.stringify({ version: 1, generation: index + 1, flags: { [name]: { enabled: true } } }));
    fs.symlinkSync(`..v${name}`, path.join(dir, "..data_tmp"));
    fs.renameSync(path.join(dir, "..data_tmp"), path.join(dir, "..data"));
    if (index === 0) {
      fs.symlinkSync("..data/control.json", file);
      reader = new ControlReader(file, { pollIntervalMs: 3_600_000 });
    }
  }
  await waitFor("..data swap", () => reader!.generation === 2);
  assert.ok(reader!.fires("b") && !reader!.fires("a"));
  reader!.close();
});

test("polling alone follows a directory created later", async () => {
  const file = path.join(directory(), "later", "control.json");
  const reader = new ControlReader(file, { pollIntervalMs: 20, watch: false });
  fs.mkdirSync(path.dirname(file));
  writeFlags(file, 1, { a: { enabled: true } });
  await waitFor("polling", () => reader.fires("a"));
  reader.close();
});

test("expiry is decided at the millisecond", () => {
  const file = path.join(directory(), "control.json");
  writeFlags(file, 1, { e: { enabled: true, expires_at: "2026-11-22T17:00:00.035Z" } });
  let now = Date.UTC(2026, 10, 22, 17, 0, 0) + 34.999;
  const reader = new ControlReader(file, { follow: false, clockMs: () => now });
  assert.ok(reader.fires("e"), ".034999 is before .035");
  now += 0.001;
  assert.strictEqual(reader.fires("e"), false);
});

test("the snapshot is immutable", () => {
  const file = path.join(directory(), "control.json");
  writeFlags(file, 1, { a: { enabled: true, params: { k: 1 } } });
  const reader = new ControlReader(file, { follow: false });
  const flag = reader.snapshot.flags.get("a")!;
  assert.ok(Object.isFrozen(flag) && Object.isFrozen(flag.params) && Object.isFrozen(reader.snapshot));
});
