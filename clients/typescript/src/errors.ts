/** Why the control file on disk is not in force: names the file, flag, field and value. */
export class ControlFileError extends Error {
  constructor(
    readonly reason: string,
    readonly path?: string,
    readonly flag?: string,
    readonly field?: string,
    readonly value?: string,
  ) {
    super(describe(reason, path, flag, field, value));
    this.name = "ControlFileError";
  }

  at(path: string): ControlFileError {
    return new ControlFileError(this.reason, path, this.flag, this.field, this.value);
  }
}

function describe(reason: string, path?: string, flag?: string, field?: string, value?: string): string {
  const parts: string[] = [];
  if (path) parts.push(path);
  if (flag !== undefined) parts.push(`flag "${flag}"`);
  if (field !== undefined) parts.push(`field "${field}"`);
  const detail = value === undefined ? reason : `${value} ${reason}`;
  return parts.length ? `${parts.join(": ")}: ${detail}` : detail;
}
