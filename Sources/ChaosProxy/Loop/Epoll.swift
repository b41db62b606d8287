/// The epoll constants we use. Glibc's Swift module does not include <sys/epoll.h>, and
/// these values are part of the Linux ABI (include/uapi/linux/eventpoll.h).
enum Epoll {
    static let input: UInt32 = 0x001    // EPOLLIN
    static let output: UInt32 = 0x004   // EPOLLOUT
    static let error: UInt32 = 0x008    // EPOLLERR
    static let hangUp: UInt32 = 0x010   // EPOLLHUP
    static let add: Int32 = 1           // Epoll.add
    static let delete: Int32 = 2        // Epoll.delete
    static let modify: Int32 = 3        // Epoll.modify
}
