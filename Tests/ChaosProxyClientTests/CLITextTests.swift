@testable import ChaosProxyClient
import XCTest

/// toxiproxy-cli's lines with names from the server that would break them.
final class CLITextTests: XCTestCase {
    func testCLILinesKeepOneLineAndFiveColumnsPerProxy() {
        let proxy = RemoteProxy(name: "a\nb\tc", listen: "127.0.0.1:1", upstream: "u\r\nv", enabled: true, toxics: [])
        let text = ToxiproxyCLIText.list([proxy])
        XCTAssertEqual(text, "a\\nb\\tc\t127.0.0.1:1\tu\\r\\nv\tenabled\t0\n")
        XCTAssertEqual(ToxiproxyCLIText.deleted("x\u{1b}[2J"), "Deleted proxy x\\u{1b}[2J\n")
    }
}
