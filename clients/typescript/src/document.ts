// Control-file bytes → an immutable, validated snapshot (docs/control-file.md sections 2-3).
// Any invalid part rejects the whole file.
import { ControlFileError } from "./errors";
import { parseMillis } from "./rfc3339";
import { Sequence, Threshold } from "./splitmix";

export const SUPPORTED_VERSION = 1;
export const MAX_FILE_BYTES = 1 << 20;
export const MAX_DEPTH = 512;
const MAX_MILLISECONDS = 86_400_000;
const MAX_HITS = 1e12;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const NAME = /^[a-z0-9._-]{1,128}$/;

export type Mode = "fail" | "fallback";
export type Severity = "soft" | "hard";
export type Param = string | number | boolean;

export interface Decision {
  readonly fires: boolean;
  /** latency_ms ± jitter_ms in nanoseconds; 0 when not firing. */
  readonly delayNs: number;
  readonly mode: Mode | null;
  readonly severity: Severity | null;
}

/** Per definition of a flag: max_hits count and the flag-seed sequence (reset by a new definition). */
export class Counters {
  hits = 0;
  readonly sequence: Sequence;
  constructor(seed: number) {
    this.sequence = new Sequence(seed);
  }
}

export interface Flag {
  readonly name: string;
  readonly enabled: boolean;
  /** The percent test; `threshold.percent / 100` is the unseeded comparison `q`. */
  readonly threshold: Threshold;
  /** percent / 100, compared with Math.random() for unseeded flags. */
  readonly q: number;
  readonly latencyNs: number;
  readonly jitterNs: number;
  readonly mode: Mode | null;
  readonly severity: Severity | null;
  readonly expiresMs: number | null;
  readonly maxHits: number | null;
  readonly seed: number | null;
  readonly params: Readonly<Record<string, Param>>;
  readonly definition: string;
  /** The firing decision when jitter_ms is 0, built once per definition. */
  readonly fixed: Decision;
  counters: Counters;
}

export interface Snapshot {
  readonly generation: number;
  readonly flags: ReadonlyMap<string, Flag>;
}

export const EMPTY: Snapshot = Object.freeze({ generation: 0, flags: new Map<string, Flag>() });

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

function integer(value: unknown, low: number, high: number, flag: string | undefined, field: string): number {
  if (!isNumber(value)) throw new ControlFileError("must be an integer", undefined, flag, field, show(value));
  if (!Number.isInteger(value)) throw new ControlFileError("is not an integer", undefined, flag, field, show(value));
  if (value < low || value > high) {
    throw new ControlFileError(`is out of range ${low}-${high}`, undefined, flag, field, show(value));
  }
  return value;
}

function depth(root: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [item, level] = stack.pop()!;
    if (item !== null && typeof item === "object") {
      deepest = Math.max(deepest, level);
      if (deepest > MAX_DEPTH) return deepest;
      for (const child of Array.isArray(item) ? item : Object.values(item as object)) stack.push([child, level + 1]);
    }
  }
  return deepest;
}

/** Sorted-key JSON of a value: the flag's definition, compared to spot definition changes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object).sort().map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function parseDocument(data: Uint8Array): Snapshot {
  let root: unknown;
  try {
    root = JSON.parse(utf8.decode(data));
  } catch (error) {
    throw new ControlFileError(`is not valid JSON (${(error as Error).message})`);
  }
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    throw new ControlFileError("the top level must be a JSON object");
  }
  if (depth(root) > MAX_DEPTH) throw new ControlFileError(`is nested deeper than ${MAX_DEPTH} levels`);
  const top = root as Record<string, unknown>;
  if (!has(top, "version")) throw new ControlFileError("is required", undefined, undefined, "version");
  const version = integer(top.version, 1, Number.MAX_VALUE, undefined, "version");
  if (version > SUPPORTED_VERSION) {
    throw new ControlFileError(`unsupported version ${version} (this reader understands version ${SUPPORTED_VERSION})`);
  }
  if (!has(top, "generation")) throw new ControlFileError("is required", undefined, undefined, "generation");
  const generation = integer(top.generation, 0, MAX_SAFE, undefined, "generation");
  if (has(top, "updated_at") && parseMillis(top.updated_at) === null) {
    throw new ControlFileError("is not an RFC 3339 timestamp", undefined, undefined, "updated_at", show(top.updated_at));
  }
  if (has(top, "updated_by") && typeof top.updated_by !== "string") {
    throw new ControlFileError("must be a string", undefined, undefined, "updated_by", show(top.updated_by));
  }
  if (!has(top, "flags")) throw new ControlFileError("is required", undefined, undefined, "flags");
  const objects = top.flags;
  if (objects === null || typeof objects !== "object" || Array.isArray(objects)) {
    throw new ControlFileError("must be an object mapping flag names to flags", undefined, undefined, "flags", show(objects));
  }
  const flags = new Map<string, Flag>();
  for (const name of Object.keys(objects).sort()) flags.set(name, parseFlag(name, (objects as Record<string, unknown>)[name]));
  return Object.freeze({ generation, flags });
}

export function parseFlag(name: string, value: unknown): Flag {
  if (!NAME.test(name)) throw new ControlFileError("invalid flag name: must match ^[a-z0-9._-]{1,128}$", undefined, name);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ControlFileError("must be an object", undefined, name, undefined, show(value));
  }
  const fields = value as Record<string, unknown>;
  const fail = (field: string, reason: string) => new ControlFileError(reason, undefined, name, field, show(fields[field]));
  if (!has(fields, "enabled")) throw new ControlFileError("is required", undefined, name, "enabled");
  if (typeof fields.enabled !== "boolean") throw fail("enabled", "must be true or false");
  const percent = has(fields, "percent") ? fields.percent : 100;
  if (!isNumber(percent) || percent < 0 || percent > 100) throw fail("percent", "must be a number 0-100");
  const latency = has(fields, "latency_ms") ? integer(fields.latency_ms, 0, MAX_MILLISECONDS, name, "latency_ms") : 0;
  const jitter = has(fields, "jitter_ms") ? integer(fields.jitter_ms, 0, MAX_MILLISECONDS, name, "jitter_ms") : 0;
  if (has(fields, "mode") && fields.mode !== "fail" && fields.mode !== "fallback") throw fail("mode", "is not one of fail, fallback");
  if (has(fields, "severity") && fields.severity !== "soft" && fields.severity !== "hard") {
    throw fail("severity", "is not one of soft, hard");
  }
  let expiresMs: number | null = null;
  if (has(fields, "expires_at")) {
    expiresMs = parseMillis(fields.expires_at);
    if (expiresMs === null) throw fail("expires_at", "is not an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)");
  }
  const maxHits = has(fields, "max_hits") ? integer(fields.max_hits, 1, MAX_HITS, name, "max_hits") : null;
  const seed = has(fields, "seed") ? integer(fields.seed, 0, MAX_SAFE, name, "seed") : null;
  const params: Record<string, Param> = {};
  if (has(fields, "params")) {
    const raw = fields.params;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw fail("params", "must be an object");
    for (const [key, param] of Object.entries(raw as Record<string, unknown>)) {
      const bytes = Buffer.byteLength(key, "utf8");
      if (bytes < 1 || bytes > 128) {
        throw new ControlFileError("is not a valid parameter name (1-128 bytes)", undefined, name, "params", show(key));
      }
      if (!(typeof param === "string" || typeof param === "boolean" || isNumber(param))) {
        throw new ControlFileError("must be a string, number or boolean", undefined, name, `params.${key}`, show(param));
      }
      params[key] = param;
    }
  }
  return {
    name, enabled: fields.enabled, threshold: new Threshold(percent), q: percent / 100, latencyNs: latency * 1e6, jitterNs: jitter * 1e6,
    mode: (fields.mode as Mode) ?? null, severity: (fields.severity as Severity) ?? null, expiresMs, maxHits, seed,
    fixed: Object.freeze({ fires: true, delayNs: latency * 1e6, mode: (fields.mode as Mode) ?? null,
      severity: (fields.severity as Severity) ?? null }),
    params: Object.freeze(params), definition: canonical(fields), counters: new Counters(seed ?? 0),
  };
}
