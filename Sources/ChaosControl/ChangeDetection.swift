/// How a reader notices that the control file changed.
public enum ChangeDetection: Sendable {
    /// inotify on the directory (changes seen within milliseconds), plus a stat check every
    /// poll interval as a safety net. Falls back to polling alone if inotify is unavailable.
    case inotifyAndPolling
    /// Only the stat check every poll interval (for file systems without inotify, e.g. some
    /// network mounts, or to exercise the fallback in tests).
    case pollingOnly
}
