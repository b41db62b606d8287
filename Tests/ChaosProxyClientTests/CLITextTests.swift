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

extension CLITextTests {
    func testToxicAddFlagsBecomeOptions() throws {
        let options = try ToxiproxyCLIText.toxicOptions(proxy: "db", name: nil, type: "latency", upstream: true, toxicity: 0.5,
                                                        attributePairs: ["latency=100", " jitter = 5", "ttl=30s"], ttl: "1m")
        XCTAssertEqual(options, ToxicOptions(proxy: "db", type: "latency", stream: "upstream", toxicity: 0.5,
                                             attributes: ["latency": 100, "jitter": 5], ttl: "30s"),
                       "-a ttl= is the ttl extension and wins over --ttl; the rest are the type's attributes")
        XCTAssertEqual(options.resolvedName, "latency_upstream")
        XCTAssertThrowsError(try ToxiproxyCLIText.toxicOptions(proxy: "db", name: nil, type: "latency", upstream: false,
                                                               toxicity: 1, attributePairs: ["latency=abc"], ttl: nil)) {
            XCTAssertEqual("\($0)", "-a latency=abc: 'abc' is not a number of milliseconds or a duration such as 150ms")
        }
        // Names are checked against the type, with the close name as a hint.
        XCTAssertThrowsError(try ToxiproxyCLIText.toxicOptions(proxy: "db", name: nil, type: "latency", upstream: false,
                                                               toxicity: 1, attributePairs: ["latecy=100"], ttl: nil)) {
            XCTAssertTrue("\($0)".contains("has no attribute 'latecy'"), "\($0)")
            XCTAssertTrue("\($0)".contains("latency"), "\($0)")
        }
    }
}
