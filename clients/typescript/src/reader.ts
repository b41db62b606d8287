// ControlReader: loads the control file once, follows it, and decides per call.
import { randomFillSync } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Counters, EMPTY, Flag, Mode, Param, Severity, Snapshot, parseDocument } from "./document";
import { ControlFileError } from "./errors";
import { identity, readControlFile } from "./files";
import { advance, delayNs } from "./splitmix";

export interface Decision {
  readonly fires: boolean;
  /** latency_ms ± jitter_ms in nanoseconds; 0 when not firing. */
  readonly delayNs: number;
  readonly mode: Mode | null;
  readonly severity: Severity | null;
}

export const NONE: Decision = Object.freeze({ fires: false, delayNs: 0, mode: null, severity: null });

export interface ReaderOptions {
  /** Safety-net stat poll, milliseconds (default 1000). */
  pollIntervalMs?: number;
  /** One SplitMix64 sequence for every flag (flags' own seed fields are then ignored). */
  seed?: number | bigint;
  /** false: polling only (file systems without inotify). */
  watch?: boolean;
  /** false: load once; reload() reads again. */
  follow?: boolean;
  /** Replaces Date.now for expiry (tests). */
  clockMs?: () => number;
  onError?: (error: ControlFileError) => void;
  onChange?: (oldGeneration: number, newGeneration: number) => void;
}

/**
 * Follows a control file (docs/control-file.md). A missing file means no faults; an
 * invalid, unreadable, oversized or newer-version file keeps the last good state and is
 * reported through `error`, `onError` (default: console.warn). Decisions never throw.
 */
export class ControlReader {
  private snapshotInForce: Snapshot = EMPTY;
  private lastError: ControlFileError | null = null;
  private lastBytes: Uint8Array | null = null;
  private lastIdentity = "";
  private readonly readerSeeded: boolean;
  private readerState: bigint;
  private readonly system = new BigUint64Array(256);
  private systemIndex = 256;
  private watcher: fs.FSWatcher | null = null;
  private timer: { unref(): void } | null = null;
  private ticks = 0;

  constructor(readonly path: string, private readonly options: ReaderOptions = {}) {
    this.readerSeeded = options.seed !== undefined;
    this.readerState = BigInt(options.seed ?? 0);
    const follow = options.follow !== false;
    if (follow && options.watch !== false) this.ensureWatching(); // before the first read
    this.reload();
    if (follow) {
      this.timer = setInterval(() => this.poll(), options.pollIntervalMs ?? 1000);
      this.timer.unref();
    }
  }

  get snapshot(): Snapshot { return this.snapshotInForce; }
  get generation(): number { return this.snapshotInForce.generation; }
  get error(): ControlFileError | null { return this.lastError; }

  params(name: string): Readonly<Record<string, Param>> {
    return this.snapshotInForce.flags.get(name)?.params ?? {};
  }

  fires(name: string): boolean {
    return this.decide(name).fires;
  }

  /** One call's decision (sections 3.1 and 3.3). */
  decide(name: string): Decision {
    const flag = this.snapshotInForce.flags.get(name);
    if (flag === undefined || !flag.enabled) return NONE;
    if (flag.expiresMs !== null && Math.floor((this.options.clockMs ?? Date.now)()) >= flag.expiresMs) return NONE;
    let draw: bigint;
    if (this.readerSeeded) {
      [this.readerState, draw] = advance(this.readerState);
    } else if (flag.seed !== null) {
      [flag.counters.sequence, draw] = advance(flag.counters.sequence);
    } else {
      draw = this.systemDraw();
    }
    if (flag.threshold !== null && draw >= flag.threshold) return NONE;
    if (flag.maxHits !== null) {
      if (flag.counters.hits >= flag.maxHits) return NONE;
      flag.counters.hits += 1;
    }
    return { fires: true, delayNs: delayNs(draw, flag.latencyNs, flag.jitterNs), mode: flag.mode, severity: flag.severity };
  }

  /** Unseeded flags: any uniform 64-bit source (3.3); the system's, in batches. */
  private systemDraw(): bigint {
    if (this.systemIndex === this.system.length) {
      randomFillSync(this.system);
      this.systemIndex = 0;
    }
    return this.system[this.systemIndex++];
  }

  /** Reads the file now. Never throws. */
  reload(): void {
    try {
      const data = readControlFile(this.path);
      if (data === null) {
        this.lastIdentity = "";
        this.lastBytes = null;
        this.lastError = null;
        this.publish(EMPTY);
        return;
      }
      this.lastIdentity = identity(this.path);
      if (this.lastBytes !== null && Buffer.prototype.equals.call(data, this.lastBytes)) return;
      this.lastBytes = data;
      try {
        const snapshot = parseDocument(data);
        this.lastError = null;
        this.publish(snapshot);
      } catch (error) {
        this.report(error instanceof ControlFileError ? error.at(this.path) : new ControlFileError(String(error), this.path));
      }
    } catch (error) {
      this.lastIdentity = identity(this.path);
      this.lastBytes = null;
      this.report(error instanceof ControlFileError ? error : new ControlFileError(String(error), this.path));
    }
  }

  private report(error: ControlFileError): void {
    this.lastError = error;
    try {
      (this.options.onError ?? ((e: ControlFileError) => console.warn(`chaos control file ignored: ${e.message}`)))(error);
    } catch {
      // a failing callback must not reach the service
    }
  }

  private publish(snapshot: Snapshot): void {
    const old = this.snapshotInForce;
    for (const [name, flag] of snapshot.flags) {
      const previous = old.flags.get(name);
      if (previous !== undefined && previous.definition === flag.definition) flag.counters = previous.counters;
      else if (flag.counters === undefined) flag.counters = new Counters(BigInt(flag.seed ?? 0));
      Object.freeze(flag);
    }
    this.snapshotInForce = snapshot;
    if (old !== snapshot && this.options.onChange) {
      try {
        this.options.onChange(old.generation, snapshot.generation);
      } catch {
        // as above
      }
    }
  }

  private ensureWatching(): boolean {
    if (this.watcher !== null) return false;
    const directory = path.dirname(path.resolve(this.path));
    const name = path.basename(this.path);
    try {
      this.watcher = fs.watch(directory, { persistent: false }, (_event, changed) => {
        if (changed !== null && (changed.startsWith(`.${name}.tmp.`) || changed === `.${name}.lock`)) return;
        this.reload();
      });
      this.watcher.on("error", () => {
        this.watcher?.close(); // the directory went away: re-added on a later poll
        this.watcher = null;
      });
      return true;
    } catch {
      return false; // directory missing, or no inotify: polling
    }
  }

  private poll(): void {
    this.ticks += 1;
    let changed = this.ticks % 10 === 0 || identity(this.path) !== this.lastIdentity;
    if (this.options.watch !== false && this.ensureWatching()) changed = true;
    if (changed) this.reload();
  }

  /** Stops following; the state in force stays. Idempotent. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
