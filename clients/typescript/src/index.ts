// chaos-control: reader of the chaosctl control file (docs/control-file.md).
export { ControlReader, Decision, NONE, ReaderOptions } from "./reader";
export { ControlFileError } from "./errors";
export { Mode, Param, Severity, Snapshot } from "./document";
