// The few Node APIs this package uses, declared here because Debian ships no @types/node
// and the package has no dependencies. Signatures follow Node 18's documentation.
declare module "fs" {
  interface Stats { dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number; isFile(): boolean; isSymbolicLink(): boolean; isDirectory(): boolean }
  interface FSWatcher { close(): void; on(event: "error", listener: (error: Error) => void): this }
  function openSync(path: string, flags: string): number;
  function closeSync(fd: number): void;
  function fstatSync(fd: number): Stats;
  function statSync(path: string): Stats;
  function lstatSync(path: string): Stats;
  function readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  function readFileSync(path: string, encoding: "utf8"): string;
  function writeFileSync(path: string, data: string | Uint8Array): void;
  function renameSync(from: string, to: string): void;
  function mkdirSync(path: string, options?: { recursive?: boolean }): void;
  function mkdtempSync(prefix: string): string;
  function rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  function symlinkSync(target: string, path: string): void;
  function readlinkSync(path: string): string;
  function unlinkSync(path: string): void;
  function existsSync(path: string): boolean;
  function watch(path: string, options: { persistent?: boolean }, listener: (event: string, name: string | null) => void): FSWatcher;
}
declare module "path" {
  function dirname(p: string): string;
  function basename(p: string): string;
  function join(...parts: string[]): string;
  function resolve(...parts: string[]): string;
}
declare module "os" {
  function tmpdir(): string;
}
declare module "crypto" {
  function randomFillSync<T extends ArrayBufferView>(buffer: T): T;
}
declare module "node:test" {
  function test(name: string, fn: () => void | Promise<void>): Promise<void>;
  export = test;
}
declare module "assert" {
  function ok(value: unknown, message?: string): void;
  function strictEqual<T>(actual: T, expected: T, message?: string): void;
  function deepStrictEqual<T>(actual: T, expected: T, message?: string): void;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input: Uint8Array): string;
}
declare class Buffer extends Uint8Array {
  static alloc(size: number): Buffer;
  static concat(list: Uint8Array[], total?: number): Buffer;
  static byteLength(text: string, encoding?: string): number;
  equals(other: Uint8Array): boolean;
  subarray(start?: number, end?: number): Buffer;
}
declare function setInterval(callback: () => void, ms: number): { unref(): void };
declare function clearInterval(handle: unknown): void;
declare function setTimeout(callback: () => void, ms: number): { unref(): void };
declare const process: {
  argv: string[]; pid: number; exitCode?: number; hrtime: { bigint(): bigint };
  stdout: { write(text: string): boolean }; stderr: { write(text: string): boolean };
};
declare const require: { main: unknown };
declare const module: unknown;
declare const __dirname: string;
declare const console: { log(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void };
declare const performance: { timeOrigin: number; now(): number };
