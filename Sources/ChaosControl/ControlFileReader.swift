import Foundation

/// What a service links to obey the control file. Loads it once at init, then follows
/// changes on a background thread (inotify on the directory plus a polling safety net).
///
/// ```swift
/// let control = ControlFileReader(path: "/run/chaos/control.json")
/// let slowDB = control.flag("slow-db")          // resolve once
/// ...
/// let decision = slowDB.decide()                // per call: ~ns, no lock, no allocation
/// if decision.fires { decision.sleepForDelay() }
/// ```
///
/// A missing file means no faults. An unreadable, invalid or newer-version file is
/// ignored: the last good state stays in force (no faults if there never was one) and the
/// problem is reported through `lastError` and `onError`.
public final class ControlFileReader: Sendable {
    /// The control file followed.
    public let path: String
    private let follower: ControlFileFollower

    /// - Parameters:
    ///   - path: the control file (it and its directory may not exist yet).
    ///   - pollInterval: how often the file is stat-checked as a safety net (or as the only
    ///     mechanism with `.pollingOnly`). Default 1 s.
    ///   - seed: fixes the random sequence behind `percent` and `jitter_ms` so a
    ///     single-threaded run is reproducible; nil (default) seeds from the system.
    ///   - changeDetection: inotify plus polling (default) or polling only.
    public init(path: String, pollInterval: Duration = .seconds(1), seed: UInt64? = nil,
                changeDetection: ChangeDetection = .inotifyAndPolling) {
        self.path = path
        let (seconds, attoseconds) = pollInterval.components
        let nanoseconds = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        follower = ControlFileFollower(path: path, pollIntervalNanoseconds: nanoseconds, seed: seed,
                                       detection: changeDetection)
        follower.start()
    }

    deinit {
        follower.stop()
    }

    /// The handle for flag `name`; resolve it once and keep it. Handles for names not in the
    /// file (or invalid names) simply never fire until the flag appears.
    public func flag(_ name: String) -> FlagHandle {
        follower.handle(for: name)
    }

    /// `generation` of the document in force (0 when the file is missing).
    public var currentGeneration: UInt64 {
        follower.document.generation
    }

    /// The document in force (the last good one).
    public var document: ControlDocument {
        follower.document
    }

    /// All flags of the document in force, for listing.
    public func snapshotFlags() -> [String: Flag] {
        follower.document.flags
    }

    /// Why the file on disk is not in force (invalid, unreadable, unsupported version), or
    /// nil when the last read succeeded or the file is missing.
    public var lastError: String? {
        follower.error?.description
    }

    /// `lastError` as a structured error.
    public var lastControlFileError: ControlFileError? {
        follower.error
    }

    /// Called on the watcher thread with (old generation, new generation) after a new
    /// document takes effect (also when the file disappears: new generation 0). Keep it
    /// short. Capture the reader weakly: the reader keeps its callbacks alive.
    public var onChange: (@Sendable (UInt64, UInt64) -> Void)? {
        get { follower.onChange }
        set { follower.onChange = newValue }
    }

    /// Called on the watcher thread when the file on disk is rejected (capture weakly, too).
    public var onError: (@Sendable (ControlFileError) -> Void)? {
        get { follower.onError }
        set { follower.onError = newValue }
    }

    /// Re-reads the file now, on the calling thread (e.g. on SIGHUP).
    public func reloadNow() {
        follower.reload()
    }

    /// Stops following changes; the current snapshot stays in force. Idempotent.
    public func stop() {
        follower.stop()
    }
}
