import Glibc

/// The two things done with an eventfd used as a wake-up bell.
enum EventFD {
    /// Ring: a thread waiting on `fd` (epoll, poll) wakes.
    static func signal(_ fd: Int32) {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// Reset, so the next wait sleeps again.
    static func drain(_ fd: Int32) {
        var value: UInt64 = 0
        _ = read(fd, &value, 8)
    }
}
