// ControlReader: loads the control file once, follows it, and decides per call.
import * as fs from "fs";
import * as path from "path";
import { Counters, Decision, EMPTY, Flag, Mode, Param, Severity, Snapshot, parseDocument } from "./document";
import { ControlFileError } from "./errors";
import { identity, readControlFile } from "./files";
import { Sequence, randomDelayNs, seededDelayNs } from "./splitmix";

export { Decision };

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
  private readonly readerSequence: Sequence;
  private watcher: fs.FSWatcher | null = null;
  private timer: { unref(): void } | null = null;
  private ticks = 0;

  constructor(readonly path: string, private readonly options: ReaderOptions = {}) {
    this.readerSeeded = options.seed !== undefined;
    this.readerSequence = new Sequence(options.seed ?? 0);
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
    return this.fireDelayNs(name) >= 0;
  }

  /** One call's decision (sections 3.1 and 3.3); a new object only when firing with jitter. */
  decide(name: string): Decision {
    const flag = this.snapshotInForce.flags.get(name);
    if (flag === undefined) return NONE;
    const delayNs = this.fireDelay(flag);
    if (delayNs < 0) return NONE;
    return flag.jitterNs === 0 ? flag.fixed : { fires: true, delayNs, mode: flag.mode, severity: flag.severity };
  }

  /**
   * The fast path: this call's delay in nanoseconds when flag `name` fires (0 without
   * latency), -1 when it does not; builds nothing. Its mode and severity: mode(), severity().
   */
  fireDelayNs(name: string): number {
    const flag = this.snapshotInForce.flags.get(name);
    return flag === undefined ? -1 : this.fireDelay(flag);
  }

  /** The flag's mode in force, or null. */
  mode(name: string): Mode | null {
    return this.snapshotInForce.flags.get(name)?.mode ?? null;
  }

  /** The flag's severity in force, or null. */
  severity(name: string): Severity | null {
    return this.snapshotInForce.flags.get(name)?.severity ?? null;
  }

  /** Sections 3.1 and 3.3 for one flag: the delay when this call fires, else -1. */
  private fireDelay(flag: Flag): number {
    if (!flag.enabled) return -1;
    if (flag.expiresMs !== null && Math.floor((this.options.clockMs ?? Date.now)()) >= flag.expiresMs) return -1;
    if (this.readerSeeded || flag.seed !== null) {
      const draw = this.readerSeeded ? this.readerSequence.next() : flag.counters.sequence.next();
      if (!flag.threshold.passes(draw) || !this.countHit(flag)) return -1;
      return seededDelayNs(draw, flag.latencyNs, flag.jitterNs);
    }
    // Unseeded: any uniform source is conformant (3.3), so V8's Math.random, compared with q.
    if (!(Math.random() < flag.q) || !this.countHit(flag)) return -1;
    return randomDelayNs(flag.latencyNs, flag.jitterNs);
  }

  /** Section 3.1 step 4: counts a firing unless max_hits is used up. */
  private countHit(flag: Flag): boolean {
    if (flag.maxHits === null) return true;
    if (flag.counters.hits >= flag.maxHits) return false;
    flag.counters.hits += 1;
    return true;
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
      else if (flag.counters === undefined) flag.counters = new Counters(flag.seed ?? 0);
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
