import ChaosProxyAPI
import Foundation
import Glibc
import XCTest

/// Half-close and RST through API-created proxies, on the plain path and through a toxic.
final class CloseBehaviourTests: IntegrationTestCase {
    /// An upstream that reads `count` bytes and then resets (SO_LINGER 0).
    // @unchecked Sendable: only lets; the accept thread gets its own copy of the descriptor.
    private final class ResettingServer: @unchecked Sendable {
        let port: UInt16
        private let fd: Int32
        init(after count: Int) throws {
            (fd, port) = try Sockets.listen()
            let listener = fd
            Thread {
                while true {
                    let client = accept(listener, nil, nil)
                    guard client >= 0 else { return }
                    _ = Sockets.readExactly(client, count)
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    close(client)
                }
            }.start()
        }
        func stop() { Glibc.shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    func testUpstreamResetReachesTheClientWithAndWithoutToxics() throws {
        let server = try ResettingServer(after: 5)
        defer { server.stop() }
        for withToxic in [false, true] {
            let name = withToxic ? "rst_toxic" : "rst_plain"
            let port = try stack.createProxy(name, upstream: "127.0.0.1:\(server.port)")
            if withToxic {
                _ = try stack.client.addToxic(proxy: name, name: nil, type: "latency", stream: "downstream", attributes: ["latency": 20])
            }
            let fd = try Sockets.connect(port: port, receiveTimeout: 5)
            defer { close(fd) }
            XCTAssertTrue(Sockets.writeAll(fd, Array("hello".utf8)))
            let (count, end) = Sockets.drain(fd)
            XCTAssertEqual(count, 0, name)
            XCTAssertEqual(end, .reset, "\(name): the upstream's RST reaches the client as RST")
        }
    }

    func testHalfClosedClientStillGetsTheWholeReplyThroughAToxic() throws {
        let port = try stack.createProxy("half")
        _ = try stack.client.addToxic(proxy: "half", name: nil, type: "slicer", stream: "downstream",
                                      attributes: ["average_size": 100, "size_variation": 50, "delay": 100])
        let fd = try Sockets.connect(port: port)
        defer { close(fd) }
        let request = Payload.make(64 * 1024, seed: 11)
        XCTAssertTrue(Sockets.writeAll(fd, request))
        XCTAssertEqual(Glibc.shutdown(fd, Int32(SHUT_WR)), 0)
        var reply = Checksum()
        let (_, end) = Sockets.drain(fd) { reply.add($0) }
        XCTAssertEqual(reply, .of(request), "every byte after our FIN")
        XCTAssertEqual(end, .eof, "the upstream's FIN follows the data")
    }
}
