import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The engine behind `ControlFileReader`: loads the file, follows changes on a background
/// thread, and publishes a compiled snapshot for the flag handles. Everything except the
/// snapshot itself is guarded by `lock`; the hot path never takes it.
// @unchecked Sendable: mutable state is guarded by `lock` (see above); the snapshot goes through the atomic publisher.
final class ControlFileFollower: @unchecked Sendable {
    let path: String
    let publisher = SnapshotPublisher()
    let random: DecisionRandom
    /// A seed given to the reader wins over the flags' own `seed` fields.
    private let readerSeeded: Bool
    private let pollIntervalNanoseconds: UInt64
    private let detection: ChangeDetection

    private let lock = NSLock()
    // Guarded by `lock`:
    private var currentDocument = ControlDocument()
    private var lastBytes: Data?
    private var lastIdentity: FileIdentity?
    private var currentError: ControlFileError?
    private var slotsByName: [String: Int] = [:]
    private var slotNames: [String] = []
    private var hitCounters: [HitCounter] = []
    private var drawSequences: [FlagDrawSequence] = []
    private var compiledDefinitions: [Flag?] = []
    private var definitionTags: [UInt64] = []
    private var nextDefinitionTag: UInt64 = 1
    private var nextExpiry: Date?
    private var stopped = false
    private var changeHandler: (@Sendable (UInt64, UInt64) -> Void)?
    private var errorHandler: (@Sendable (ControlFileError) -> Void)?

    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    /// Signalled by the watcher thread when it exits (NSCondition keeps us on Foundation alone).
    private let exited = NSCondition()
    private var hasExited = false
    private var watcherThread: pthread_t?

    init(path: String, pollIntervalNanoseconds: UInt64, seed: UInt64?, detection: ChangeDetection) {
        self.path = path
        self.pollIntervalNanoseconds = max(1_000_000, pollIntervalNanoseconds)
        self.random = DecisionRandom(seed: seed)
        self.readerSeeded = seed != nil
        self.detection = detection
    }

    // MARK: - Lifecycle

    /// Loads synchronously, then starts the background thread. The directory watch is added
    /// BEFORE the first load, so a change landing between the two is never missed.
    func start() {
        // Handed over, not shared: after this line only the watcher thread touches it.
        nonisolated(unsafe) let watcher = detection == .inotifyAndPolling ? DirectoryWatcher(controlFile: path) : nil
        reload()
        var fds: [Int32] = [-1, -1]
        // pipe2 needs _GNU_SOURCE, which Glibc's module does not define; set the flags after.
        guard pipe(&fds) == 0 else {
            lock.withLock { currentError = ControlFileError.io(path, "cannot create wake-up pipe; not following changes") }
            return
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [self] in
            lock.withLock { watcherThread = pthread_self() }
            follow(watcher)
            exited.withLock {
                hasExited = true
                exited.broadcast()
            }
        }
        thread.name = "ChaosControl watcher"
        thread.start()
    }

    /// Stops following; the last snapshot stays in force. Idempotent.
    func stop() {
        let (alreadyStopped, ownThread) = lock.withLock { () -> (Bool, Bool) in
            let was = stopped
            stopped = true
            return (was, watcherThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false)
        }
        guard !alreadyStopped, wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        // From a callback on the watcher thread itself we cannot wait for it to finish.
        if !ownThread {
            exited.withLock {
                while !hasExited { exited.wait() }
            }
        }
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    // MARK: - Queries (take the lock; not for the per-call path)

    var document: ControlDocument { lock.withLock { currentDocument } }
    var error: ControlFileError? { lock.withLock { currentError } }

    var onChange: (@Sendable (UInt64, UInt64) -> Void)? {
        get { lock.withLock { changeHandler } }
        set { lock.withLock { changeHandler = newValue } }
    }

    var onError: (@Sendable (ControlFileError) -> Void)? {
        get { lock.withLock { errorHandler } }
        set { lock.withLock { errorHandler = newValue } }
    }

    /// The handle for `name`; every handle for one name shares one max_hits counter.
    func handle(for name: String) -> FlagHandle {
        let (slot, counter, sequence) = lock.withLock { () -> (Int, HitCounter, FlagDrawSequence) in
            if let slot = slotsByName[name] { return (slot, hitCounters[slot], drawSequences[slot]) }
            let slot = slotNames.count
            slotsByName[name] = slot
            slotNames.append(name)
            hitCounters.append(HitCounter())
            drawSequences.append(FlagDrawSequence())
            compiledDefinitions.append(nil)
            definitionTags.append(0)
            // Publish before returning so the new slot exists in the table the handle reads.
            republish(now: Date())
            return (slot, hitCounters[slot], drawSequences[slot])
        }
        return FlagHandle(name: name, slot: slot, hits: counter, sequence: sequence, follower: self)
    }

    // MARK: - Loading

    /// Reads the file and, if it changed and is valid, publishes it. Never throws: a bad
    /// file keeps the last good state and is reported through `error` / `onError`.
    func reload() {
        var notifications: [() -> Void] = []
        lock.withLock {
            do {
                switch try FileContents.read(path) {
                case .missing:
                    // A missing file (or directory) means no faults, by the protocol.
                    lastIdentity = nil
                    lastBytes = nil
                    currentError = nil
                    apply(ControlDocument(), notifications: &notifications)
                case .contents(let data, let identity):
                    lastIdentity = identity
                    guard data != lastBytes else { return }
                    lastBytes = data
                    do {
                        let document = try ControlDocument.decode(data, path: path)
                        currentError = nil
                        apply(document, notifications: &notifications)
                    } catch let error as ControlFileError {
                        reportError(error, notifications: &notifications)
                    }
                }
            } catch let error as ControlFileError {
                lastIdentity = FileIdentity.of(path)
                lastBytes = nil
                reportError(error, notifications: &notifications)
            } catch {
                reportError(ControlFileError(.io, path: path, reason: "\(error)"), notifications: &notifications)
            }
        }
        for notify in notifications { notify() }
    }

    private func reportError(_ error: ControlFileError, notifications: inout [() -> Void]) {
        currentError = error
        if let handler = errorHandler { notifications.append { handler(error) } }
    }

    /// Caller holds the lock.
    private func apply(_ document: ControlDocument, notifications: inout [() -> Void]) {
        guard document != currentDocument else { return }
        let oldGeneration = currentDocument.generation
        currentDocument = document
        republish(now: Date())
        if let handler = changeHandler {
            let newGeneration = document.generation
            notifications.append { handler(oldGeneration, newGeneration) }
        }
    }

    /// Compiles the current document for every registered slot and publishes it.
    /// Caller holds the lock.
    private func republish(now: Date) {
        var entries: [CompiledFlag] = []
        entries.reserveCapacity(slotNames.count)
        for (slot, name) in slotNames.enumerated() {
            let flag = currentDocument.flags[name]
            if flag != compiledDefinitions[slot] {
                compiledDefinitions[slot] = flag
                definitionTags[slot] = nextDefinitionTag
                nextDefinitionTag += 1
            }
            entries.append(CompiledFlag(flag, definitionTag: definitionTags[slot], now: now,
                                        useFlagSeed: !readerSeeded))
        }
        nextExpiry = currentDocument.flags.values
            .compactMap { $0.enabled ? $0.expiresAt : nil }
            .filter { $0 > now }
            .min()
        publisher.publish(entries)
    }

    // MARK: - Following

    private func follow(_ watcher: DirectoryWatcher?) {
        var nextPoll = MonotonicClock.now() + pollIntervalNanoseconds
        var pollTicks: UInt64 = 0
        while true {
            let (isStopped, expiry) = lock.withLock { (stopped, nextExpiry) }
            if isStopped { return }

            var timeoutNanoseconds = nextPoll &- min(nextPoll, MonotonicClock.now())
            if let expiry {
                // Clamped in Double first: an expiry years away must not overflow UInt64.
                let untilExpiry = min(max(0, expiry.timeIntervalSinceNow) * 1e9, Double(timeoutNanoseconds))
                timeoutNanoseconds = UInt64(untilExpiry)
            }
            // Round up so we never wake just before an expiry instant and spin.
            let timeoutMilliseconds = Int32(min(Double(Int32.max), (Double(timeoutNanoseconds) / 1e6).rounded(.up)))

            var descriptors = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if let watcher, watcher.isWatching {
                descriptors.append(pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
            if ready < 0, errno != EINTR { usleep(10_000) }

            var shouldReload = false
            if descriptors.count > 1, descriptors[1].revents != 0, watcher?.drainEvents() == true {
                shouldReload = true
            }
            let now = MonotonicClock.now()
            if now >= nextPoll {
                nextPoll = now + pollIntervalNanoseconds
                pollTicks += 1
                // Safety net for missed events and the only mechanism without inotify: a stat
                // each tick, and every 10th tick a full read (reload compares bytes), which
                // also catches an in-place rewrite of equal size within one mtime tick.
                if watcher?.ensureWatching() == true { shouldReload = true }
                let identity = FileIdentity.of(path)
                if lock.withLock({ identity != lastIdentity }) || pollTicks % 10 == 0 { shouldReload = true }
            }
            if shouldReload { reload() }
            lock.withLock {
                if let next = nextExpiry, Date() >= next { republish(now: Date()) }
                publisher.reclaim()
            }
        }
    }
}
