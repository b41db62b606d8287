import CNftables
import ChaosCore
#if canImport(Glibc)
import Glibc
#endif

/// The kernel refused an nf_tables request: its errno, and which message it refused.
struct NftablesFailure: Error, Equatable {
    var errno: Int32
    /// "table", "chain", "rule", … or "batch" when the whole batch was refused.
    var refused: String
}

/// One NETLINK_NETFILTER socket (libmnl), bound to the network namespace it is opened in
/// (open it inside `NetTarget.within`). Sends libnftnl-built transactions and reads the
/// kernel's acks.
final class NftablesSocket {
    private let socket: OpaquePointer
    private let portid: UInt32
    private var sequence: UInt32
    /// Large enough for a few small messages and their acks (MNL_SOCKET_BUFFER_SIZE).
    static let bufferSize = 8192

    init() throws {
        guard let s = mnl_socket_open(NETLINK_NETFILTER) else { throw NftablesSocket.openFailure(errno) }
        guard mnl_socket_bind(s, 0, pid_t(MNL_SOCKET_AUTOPID)) >= 0 else {
            let code = errno
            mnl_socket_close(s)
            throw NftablesSocket.openFailure(code)
        }
        socket = s
        portid = mnl_socket_get_portid(s)
        sequence = UInt32(truncatingIfNeeded: time(nil))
        // A kernel that never answers must not hang a revert on a signal.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { mnl_socket_close(socket) }

    /// Without the nfnetlink family the socket cannot even be made.
    private static func openFailure(_ code: Int32) -> Error {
        NftablesFailure(errno: code, refused: "socket")
    }

    func nextSequence() -> UInt32 {
        sequence &+= 1
        return sequence
    }

    /// Send one nf_tables transaction: `build` appends messages (each asking for an ack)
    /// between the batch's begin and end and returns their names in order. The kernel
    /// applies all of them or none.
    func transaction(_ build: (_ batch: OpaquePointer, _ socket: NftablesSocket) throws -> [String]) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        guard let batch = mnl_nlmsg_batch_start(buffer, Self.bufferSize) else { throw ChaosError("nftables: cannot start a batch") }
        defer { mnl_nlmsg_batch_stop(batch) }
        nftnl_batch_begin(mnl_nlmsg_batch_current(batch).assumingMemoryBound(to: CChar.self), nextSequence())
        mnl_nlmsg_batch_next(batch)
        let names = try build(batch, self)
        nftnl_batch_end(mnl_nlmsg_batch_current(batch).assumingMemoryBound(to: CChar.self), nextSequence())
        mnl_nlmsg_batch_next(batch)
        try send(mnl_nlmsg_batch_head(batch), mnl_nlmsg_batch_size(batch))
        try collectAcks(names)
    }

    /// A GET request (not a dump): the reply message the kernel sends, or nil for ENOENT.
    func get(_ build: (_ buffer: UnsafeMutablePointer<CChar>, _ sequence: UInt32) -> UnsafeMutablePointer<nlmsghdr>?)
        throws -> [UInt8]? {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        guard let header = build(buffer.assumingMemoryBound(to: CChar.self), nextSequence()) else {
            throw ChaosError("nftables: cannot build a request")
        }
        try send(buffer, Int(header.pointee.nlmsg_len))
        var reply: [UInt8]?
        while true {
            for message in try receive() {
                guard message.type == UInt16(NLMSG_ERROR) else {
                    reply = message.bytes
                    continue
                }
                if message.error == ENOENT { return nil }
                if message.error != 0 { throw NftablesFailure(errno: message.error, refused: "query") }
                return reply
            }
        }
    }

    private func send(_ bytes: UnsafeMutableRawPointer?, _ count: Int) throws {
        guard mnl_socket_sendto(socket, bytes, count) >= 0 else { throw NftablesFailure(errno: errno, refused: "batch") }
    }

    /// One reply per message (each asked for an ack); a refusal of the whole batch
    /// (no CAP_NET_ADMIN, no nf_tables) comes as a single error.
    private func collectAcks(_ names: [String]) throws {
        var acked = 0
        var firstFailure: NftablesFailure?
        while acked < names.count {
            for message in try receive() where message.type == UInt16(NLMSG_ERROR) {
                if message.error != 0 {
                    if message.isBatchBoundary { throw NftablesFailure(errno: message.error, refused: "batch") }
                    if firstFailure == nil {
                        firstFailure = NftablesFailure(errno: message.error, refused: names[min(acked, names.count - 1)])
                    }
                }
                acked += 1
            }
        }
        if let firstFailure { throw firstFailure }
    }

    struct Reply {
        var type: UInt16
        var bytes: [UInt8]
        /// NLMSG_ERROR's errno (positive), 0 for an ack.
        var error: Int32
        /// The refused message was the batch's begin (the whole batch was refused).
        var isBatchBoundary: Bool
    }

    private func receive() throws -> [Reply] {
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        let n = buffer.withUnsafeMutableBytes { mnl_socket_recvfrom(socket, $0.baseAddress, $0.count) }
        guard n > 0 else {
            let code = errno
            throw code == EAGAIN || code == EWOULDBLOCK
                ? ChaosError("nftables: the kernel did not answer within 5s") : NftablesFailure(errno: code, refused: "reply")
        }
        var replies: [Reply] = []
        var offset = 0
        let header = MemoryLayout<nlmsghdr>.size
        while offset + header <= n {
            let length = Int(buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) })
            let type = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self) }
            guard length >= header, offset + length <= n else { break }
            var reply = Reply(type: type, bytes: Array(buffer[offset..<(offset + length)]), error: 0, isBatchBoundary: false)
            if type == UInt16(NLMSG_ERROR), length >= header + 4 + header {
                // nlmsgerr: {int error; struct nlmsghdr request}.
                let code = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + header, as: Int32.self) }
                let requestType = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + header + 4 + 4, as: UInt16.self) }
                reply.error = -code
                reply.isBatchBoundary = requestType == UInt16(NFNL_MSG_BATCH_BEGIN)
            }
            replies.append(reply)
            offset += (length + 3) & ~3
        }
        return replies
    }
}
