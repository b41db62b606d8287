// Conformance runner: node dist/src/conformance.js VECTOR.json...
// Runs docs/conformance/ vectors (docs/control-file.md section 8) through a real
// ControlReader and prints one JSON line per vector. With --fast first, "decide" calls go
// through the fast path (fireDelayNs, mode, severity).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ControlReader, Decision, NONE } from "./reader";
import { parseMillis } from "./rfc3339";

interface Step { op: string; document?: unknown; text?: string; bytes?: number; at?: string; flag?: string; method?: string; expect?: unknown }
interface Vector { name: string; clock: string; reader_seed?: number; steps: Step[] }

class VectorFiles {
  readonly directory: string;
  readonly path: string;
  private versions = 0;

  constructor(root: string) {
    this.directory = path.join(root, "chaos");
    this.path = path.join(this.directory, "control.json");
  }

  private clear(target: string): void {
    fs.rmSync(target, { recursive: true, force: true });
  }

  private replace(data: string): void {
    fs.mkdirSync(this.directory, { recursive: true });
    const temp = path.join(this.directory, `.control.json.tmp.${process.pid}`);
    fs.writeFileSync(temp, data);
    try {
      if (!fs.lstatSync(this.path).isFile()) this.clear(this.path);
    } catch {
      // nothing there
    }
    fs.renameSync(temp, this.path);
  }

  private configMap(data: string): void {
    this.versions += 1;
    const version = `..2026_11_22_17_05_00.${this.versions}`;
    fs.mkdirSync(path.join(this.directory, version), { recursive: true });
    fs.writeFileSync(path.join(this.directory, version, "control.json"), data);
    fs.symlinkSync(version, path.join(this.directory, "..data_tmp"));
    fs.renameSync(path.join(this.directory, "..data_tmp"), path.join(this.directory, "..data"));
    let target = "";
    try {
      target = fs.readlinkSync(this.path);
    } catch {
      // not a symlink yet
    }
    if (target !== "..data/control.json") {
      this.clear(this.path);
      fs.symlinkSync("..data/control.json", this.path);
    }
  }

  /** Performs a file step; false when the step is not one. */
  apply(step: Step): boolean {
    switch (step.op) {
      case "write": this.replace(JSON.stringify(step.document)); return true;
      case "write_text": this.replace(step.text ?? ""); return true;
      case "write_large": this.replace('{"version": 1, "generation": 99, "flags": {}}'.padEnd(step.bytes ?? 0)); return true;
      case "configmap": this.configMap(JSON.stringify(step.document)); return true;
      case "remove": this.clear(this.path); return true;
      case "remove_directory": this.clear(this.directory); return true;
      case "make_directory": this.clear(this.path); fs.mkdirSync(this.path, { recursive: true }); return true;
      case "symlink_loop":
        fs.mkdirSync(this.directory, { recursive: true });
        this.clear(this.path);
        fs.symlinkSync("control.json", this.path);
        return true;
    }
    return false;
  }
}

export function runVector(vector: Vector, fast = false): unknown[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "control-conformance-"));
  const files = new VectorFiles(root);
  let now = parseMillis(vector.clock)!;
  let reader: ControlReader | null = null;
  const results: unknown[] = [];
  try {
    for (const step of vector.steps) {
      if (files.apply(step)) {
        reader?.reload();
        continue;
      }
      if (step.op === "clock") {
        now = parseMillis(step.at)!;
        continue;
      }
      reader ??= new ControlReader(files.path, {
        follow: false, seed: vector.reader_seed, clockMs: () => now, onError: () => undefined,
      });
      if (step.op === "call") {
        const count = (step.expect as unknown[]).length;
        const seen: unknown[] = [];
        for (let i = 0; i < count; i++) {
          seen.push(step.method === "fires" ? reader.fires(step.flag!)
            : fast ? fastDecision(reader, step.flag!) : { ...reader.decide(step.flag!) });
        }
        results.push(seen.map((d) => (typeof d === "boolean" ? d : renameDelay(d as Record<string, unknown>))));
      } else if (step.op === "state") {
        const expect = step.expect as Record<string, unknown>;
        const seen: Record<string, unknown> = {};
        if ("generation" in expect) seen.generation = reader.generation;
        if ("error" in expect) seen.error = reader.error !== null;
        if ("params" in expect) {
          const params: Record<string, unknown> = {};
          for (const name of Object.keys(expect.params as object)) params[name] = reader.params(name);
          seen.params = params;
        }
        results.push(seen);
      } else if (step.op !== "start") {
        throw new Error(`unknown op ${step.op}`);
      }
    }
  } finally {
    reader?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  return results;
}

/** decide()'s answer assembled from the fast path (the runner's --fast mode). */
function fastDecision(reader: ControlReader, name: string): Decision {
  const delayNs = reader.fireDelayNs(name);
  return delayNs < 0 ? NONE : { fires: true, delayNs, mode: reader.mode(name), severity: reader.severity(name) };
}

function renameDelay(decision: Record<string, unknown>): Record<string, unknown> {
  return { fires: decision.fires, delay_ns: decision.delayNs, mode: decision.mode, severity: decision.severity };
}

function main(args: string[]): void {
  const fast = args[0] === "--fast";
  for (const file of fast ? args.slice(1) : args) {
    const line: Record<string, unknown> = { file };
    try {
      const vector = JSON.parse(fs.readFileSync(file, "utf8")) as Vector;
      line.name = vector.name;
      line.results = runVector(vector, fast);
    } catch (error) {
      line.error = String(error);
      process.exitCode = 1;
    }
    process.stdout.write(JSON.stringify(line) + "\n");
  }
}

/** --watch PATH FLAG SECONDS: the live cross-language test's reader (scripts/live-clients.py). */
function watch(file: string, name: string, seconds: number): void {
  let errors = 0;
  const reader = new ControlReader(file, { onError: () => { errors += 1; } });
  let last = false;
  process.stdout.write("ready\n");
  const end = Date.now() + seconds * 1000;
  const tick = (): void => {
    const fires = reader.fires(name);
    if (fires !== last) {
      const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
      process.stdout.write(`${fires} ${ns}\n`);
      last = fires;
    }
    if (Date.now() < end) {
      setTimeout(tick, 0);
    } else {
      process.stdout.write(`errors ${errors}\n`);
      reader.close();
    }
  };
  tick();
}

/**
 * --bench SECONDS: ns per decision on the fast path, fireDelayNs(), against a Map lookup plus
 * one Math.random(), with decide() as extra rows (scripts/bench-clients.sh).
 */
function bench(seconds: number): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "control-bench-"));
  const file = path.join(root, "control.json");
  fs.writeFileSync(file, JSON.stringify({ version: 1, generation: 1, flags: {
    hot: { enabled: true, latency_ms: 5, jitter_ms: 2 }, cold: { enabled: true, percent: 0 } } }));
  const reader = new ControlReader(file);
  const percents = new Map<string, number>([["hot", 100], ["cold", 0]]);
  let sink = 0;
  const bodies: Record<string, () => void> = {
    fire_ns: () => { sink += reader.fireDelayNs("hot"); },
    nofire_ns: () => { sink += reader.fireDelayNs("cold"); },
    reference_ns: () => { if (Math.random() * 100 < (percents.get("hot") ?? 0)) sink += 1; },
    decide_fire_ns: () => { sink += reader.decide("hot").delayNs; },
    decide_nofire_ns: () => { sink += reader.decide("cold").fires ? 1 : 0; },
  };
  // Rounds of each body in turn; the fastest round of each is reported, so a loaded
  // machine's preemption does not land on one side only.
  const best: Record<string, number> = {};
  const calls = 100_000;
  for (const body of Object.values(bodies)) for (let i = 0; i < 10 * calls; i++) body();   // JIT warm-up
  let rounds = 0;
  const end = Date.now() + seconds * 1000;
  while (rounds < 5 || Date.now() < end) {
    rounds++;
    for (const [key, body] of Object.entries(bodies)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) body();
      const ns = Number(process.hrtime.bigint() - start) / calls;
      best[key] = Math.min(best[key] ?? Infinity, Math.round(ns * 100) / 100);
    }
  }
  reader.close();
  fs.rmSync(root, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ language: "typescript", ...best, rounds, clock: `wall, fastest round of ${calls} calls`, sink: sink % 2 }) + "\n");
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length === 2 && args[0] === "--bench") bench(Number(args[1]));
  else if (args.length === 4 && args[0] === "--watch") watch(args[1], args[2], Number(args[3]));
  else main(args);
}
