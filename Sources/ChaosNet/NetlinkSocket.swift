import CNetlink
import ChaosCore
#if canImport(Glibc)
import Glibc
#endif

/// A kernel refusal: libnl's error code plus the extended-ack text the kernel attached.
public struct NetlinkFailure: Error, Equatable {
    /// libnl's (positive) NLE_* code.
    public var code: Int32
    /// The kernel's errno, when one came back.
    public var kernelErrno: Int32
    /// NLMSGERR_ATTR_MSG, e.g. "Specified qdisc kind is unknown".
    public var extAck: String?

    public var libnlText: String { String(cString: nl_geterror(code)) }
}

/// Collects what libnl's callbacks see; passed to them as their context pointer.
private final class CallbackState {
    var lastErrno: Int32 = 0
    var lastExtAck: String?
    var dumped: [[UInt8]] = []
}

/// One rtnetlink socket via libnl, with extended acks on. It stays bound to the network
/// namespace it was created in, so open it inside `NetTarget.within`.
final class NetlinkSocket {
    private let sock: OpaquePointer
    private let state = CallbackState()

    // Linux uapi constants that libnl 3.7 does not export.
    private static let SOL_NETLINK: Int32 = 270
    private static let NETLINK_EXT_ACK: Int32 = 11
    private static let NETLINK_CAP_ACK: Int32 = 10
    private static let NLM_F_CAPPED: UInt16 = 0x100
    private static let NLM_F_ACK_TLVS: UInt16 = 0x200
    private static let NLMSGERR_ATTR_MSG = 1
    private static let headerLength = 16   // NLMSG_HDRLEN

    init() throws {
        guard let s = nl_socket_alloc() else { throw ChaosError("netlink: cannot allocate a socket") }
        sock = s
        let rc = nl_connect(sock, NETLINK_ROUTE)
        if rc < 0 {
            nl_socket_free(sock)
            throw ChaosError("netlink: cannot open a route socket: \(String(cString: nl_geterror(rc)))")
        }
        // Ask for the kernel's reason text, and for acks that do not echo our request back.
        var on: Int32 = 1
        let fd = nl_socket_get_fd(sock)
        _ = setsockopt(fd, Self.SOL_NETLINK, Self.NETLINK_EXT_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, Self.SOL_NETLINK, Self.NETLINK_CAP_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
        // Dumps of many qdiscs exceed the default 32 KiB receive chunk less often with this.
        _ = nl_socket_set_msg_buf_size(sock, 65536)
        let context = Unmanaged.passUnretained(state).toOpaque()
        nl_socket_modify_err_cb(sock, NL_CB_CUSTOM, netlinkErrorCallback, context)
        nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, netlinkValidCallback, context)
    }

    deinit { nl_socket_free(sock) }

    /// Send a request and wait for the kernel's ack.
    func request(_ msg: NetlinkMessage) throws {
        state.lastErrno = 0
        state.lastExtAck = nil
        var rc = nl_send_auto(sock, msg.raw)
        if rc >= 0 { rc = nl_wait_for_ack(sock) }
        if rc < 0 {
            throw NetlinkFailure(code: -rc, kernelErrno: state.lastErrno, extAck: state.lastExtAck)
        }
    }

    /// Every message of a dump (RTM_GET* with NLM_F_DUMP), as raw bytes including headers.
    func dump<T>(type: Int32, header: T) throws -> [[UInt8]] {
        state.dumped = []
        state.lastErrno = 0
        state.lastExtAck = nil
        var h = header
        var rc = withUnsafeMutableBytes(of: &h) {
            nl_send_simple(sock, type, NLM_F_DUMP, $0.baseAddress, $0.count)
        }
        if rc >= 0 { rc = nl_recvmsgs_default(sock) }
        if rc < 0 { throw NetlinkFailure(code: -rc, kernelErrno: state.lastErrno, extAck: state.lastExtAck) }
        defer { state.dumped = [] }
        return state.dumped
    }

    fileprivate static func record(error hdrBase: UnsafeRawPointer, into state: UnsafeMutableRawPointer) {
        let box = Unmanaged<CallbackState>.fromOpaque(state).takeUnretainedValue()
        let length = Int(hdrBase.loadUnaligned(as: UInt32.self))
        let flags = hdrBase.loadUnaligned(fromByteOffset: 6, as: UInt16.self)
        let err = hdrBase.loadUnaligned(fromByteOffset: headerLength, as: Int32.self)
        box.lastErrno = -err
        guard flags & NLM_F_ACK_TLVS != 0 else { return }
        // nlmsgerr = {int error; struct nlmsghdr msg}, followed by the echoed request unless capped.
        var offset = headerLength + 4 + headerLength
        if flags & NLM_F_CAPPED == 0 {
            let echoed = Int(hdrBase.loadUnaligned(fromByteOffset: headerLength + 4, as: UInt32.self))
            offset = headerLength + 4 + ((echoed + 3) & ~3)
        }
        guard offset < length else { return }
        let bytes = Array(UnsafeRawBufferPointer(start: hdrBase + offset, count: length - offset))
        if let msg = NetlinkAttribute.parse(bytes).first(NLMSGERR_ATTR_MSG) {
            box.lastExtAck = String(decoding: msg.payload.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    fileprivate static func record(valid hdr: UnsafeRawPointer, into state: UnsafeMutableRawPointer) {
        let box = Unmanaged<CallbackState>.fromOpaque(state).takeUnretainedValue()
        let length = Int(hdr.loadUnaligned(as: UInt32.self))
        box.dumped.append(Array(UnsafeRawBufferPointer(start: hdr, count: length)))
    }
}

// libnl calls C function pointers; these forward to the socket's state through `arg`.
private func netlinkErrorCallback(_ who: UnsafeMutablePointer<sockaddr_nl>?, _ err: UnsafeMutablePointer<nlmsgerr>?,
                                  _ arg: UnsafeMutableRawPointer?) -> Int32 {
    if let err, let arg {
        // nlmsgerr is the payload of an nlmsghdr: step back over that header.
        NetlinkSocket.record(error: UnsafeRawPointer(err) - 16, into: arg)
    }
    return Int32(NL_STOP.rawValue)
}

private func netlinkValidCallback(_ msg: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    if let msg, let arg, let hdr = nlmsg_hdr(msg) { NetlinkSocket.record(valid: UnsafeRawPointer(hdr), into: arg) }
    return Int32(NL_OK.rawValue)
}
