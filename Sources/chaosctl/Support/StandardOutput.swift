#if canImport(Glibc)
import Glibc
#endif

enum StandardOutput {
    /// A pipe or a file gets each line as it is printed (CI logs, `proxy serve > log`),
    /// in order with what goes to stderr, instead of 4 KiB blocks at exit.
    static func lineBufferedUnlessTerminal() {
        if isatty(STDOUT_FILENO) == 0 { setvbuf(stdout, nil, _IOLBF, 0) }
    }
}
