import CChaosLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts a child the way every command chaosctl runs must start: leading a new process group
/// (so the whole tree can be stopped with one signal), with an empty signal mask and default
/// dispositions for the signals chaosctl blocks or ignores. chaosctl blocks SIGINT/SIGTERM from
/// launch and the proxy ignores SIGPIPE; a child must not inherit either, or a load generator
/// would shrug off the SIGTERM that ends it.
public enum ChildProcess {
    /// The signals a child gets back at their default action.
    static let resetToDefault: [Int32] = [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP]

    /// Spawn `argv` (looked up in PATH) with stdin from `stdin` (nil: /dev/null) and the given
    /// stdout/stderr descriptors (the child gets no other descriptor of this process), in `directory` if given, with `environment` (nil: this
    /// process's). Returns its pid, which is also its process group.
    public static func spawn(argv: [String], directory: String? = nil, environment: [String: String]? = nil,
                             stdin: Int32? = nil, stdout: Int32, stderr: Int32) throws -> pid_t {
        precondition(!argv.isEmpty, "ChildProcess.spawn needs a program")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Only 0-2 reach the child: any other descriptor chaosctl holds without close-on-exec
        // (a journal lock, another child's pipe, a socket) would stay open in it, and in
        // whatever it leaves running, which would keep a peer from seeing EOF.
        guard cchaos_spawn_addclosefrom(&actions, 3) == 0 else {
            throw ProcessRunError("cannot run \(argv[0]): \(String(cString: strerror(errno)))")
        }
        if let directory, cchaos_spawn_addchdir(&actions, directory) != 0 {
            throw ProcessRunError("cannot run \(argv[0]) in \(directory): \(String(cString: strerror(errno)))")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0) // pgid 0: the child's own pid
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in resetToDefault { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for arg in cArgs { free(arg) } }
        var cEnv: [UnsafeMutablePointer<CChar>?] = (environment ?? [:]).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for entry in cEnv { free(entry) } }
        var pid: pid_t = 0
        let rc = environment == nil
            ? posix_spawnp(&pid, argv[0], &actions, &attributes, &cArgs, environ)
            : posix_spawnp(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
        guard rc == 0 else {
            let place = directory.map { " in \($0)" } ?? ""
            throw ProcessRunError("cannot run \(argv[0])\(place): \(String(cString: strerror(rc)))")
        }
        return pid
    }

    /// Decode a waitpid status (WIFEXITED / WEXITSTATUS are macros Swift cannot import).
    public static func decode(_ status: Int32) -> ProcessRunner.ExitStatus {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}
