import Foundation

/// Where the control file is, resolved the same way by chaosctl and by every reader:
/// an explicit path, else `$CHAOS_CONTROL_PATH`, else `/tmp/chaosctl/control.json`.
public enum ControlFilePath {
    /// The documented default; world-readable so services under any user can follow it.
    public static let defaultPath = "/tmp/chaosctl/control.json"
    /// The environment variable both writers and readers honour.
    public static let environmentVariable = "CHAOS_CONTROL_PATH"

    public static func resolve(_ explicit: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath
    }
}
