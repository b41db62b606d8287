// Reading the control file with the spec's limits, telling "missing" from "unreadable".
import * as fs from "fs";
import { MAX_FILE_BYTES } from "./document";
import { ControlFileError } from "./errors";

/** The file's bytes, or null when it (or a directory on its path) does not exist. */
export function readControlFile(path: string): Uint8Array | null {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new ControlFileError(`cannot open (${code ?? (error as Error).message})`, path);
  }
  try {
    const info = fs.fstatSync(fd);
    if (!info.isFile()) throw new ControlFileError("is not a regular file", path);
    if (info.size > MAX_FILE_BYTES) {
      throw new ControlFileError(`the control file is ${info.size} bytes; the limit is ${MAX_FILE_BYTES} bytes (1 MiB)`, path);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(65536, MAX_FILE_BYTES + 1 - total));
      const count = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (count === 0) break;
      chunks.push(chunk.subarray(0, count));
      total += count;
      if (total > MAX_FILE_BYTES) {
        throw new ControlFileError(`the control file grew past ${MAX_FILE_BYTES} bytes while being read`, path);
      }
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof ControlFileError) throw error;
    throw new ControlFileError(`cannot read (${(error as { code?: string }).code ?? (error as Error).message})`, path);
  } finally {
    fs.closeSync(fd);
  }
}

/** stat(2) of the path (following symlinks) as a comparable string; "" when missing. */
export function identity(path: string): string {
  try {
    const s = fs.statSync(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return "";
  }
}
