#if canImport(Glibc)
import Glibc
#endif

/// Finds a program the way a shell would before running it, so a caller can say in advance
/// which of several commands will run.
public enum ExecutableSearch {
    /// `program` itself when it holds a `/` and is executable, else the first directory of
    /// `searchPath` (a PATH value) holding an executable of that name; nil when none does.
    public static func locate(_ program: String, searchPath: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
