import ChaosCore
@testable import ChaosNet
import XCTest

final class TcUnitsTests: XCTestCase {
    func testPercentScalesLikeIproute2() throws {
        XCTAssertEqual(try TcUnits.probability("100%", field: "x"), UInt32.max)
        XCTAssertEqual(try TcUnits.probability("0%", field: "x"), 0)
        // 0.5 × 4294967295 = 2147483647.5: rint() rounds half to even.
        XCTAssertEqual(try TcUnits.probability("50%", field: "x"), 2_147_483_648)
        XCTAssertEqual(try TcUnits.probability("1%", field: "x"), 42_949_673)
        XCTAssertEqual(try TcUnits.probability("0.1", field: "x"), 4_294_967)
        XCTAssertEqual(TcUnits.formatPercent(try TcUnits.probability("25%", field: "x")), "25%")
    }

    func testPercentOutOfRangeIsRefused() {
        for bad in ["101%", "-1%", "abc", "", "5%%", "nan"] {
            XCTAssertThrowsError(try TcUnits.probability(bad, field: "--loss"), bad) { error in
                XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
                XCTAssertTrue("\(error)".contains("--loss"))
            }
        }
    }

    func testRatesAreBytesPerSecondWithTcUnits() throws {
        XCTAssertEqual(try TcUnits.rate("1mbit", field: "r"), 125_000)
        XCTAssertEqual(try TcUnits.rate("512kbit", field: "r"), 64_000)
        XCTAssertEqual(try TcUnits.rate("1Mbit", field: "r"), 125_000)
        XCTAssertEqual(try TcUnits.rate("1kibit", field: "r"), 128)
        XCTAssertEqual(try TcUnits.rate("1mbps", field: "r"), 1_000_000)  // bytes, as tc
        XCTAssertEqual(try TcUnits.rate("8000", field: "r"), 1000)        // bare = bit/s
        XCTAssertEqual(try TcUnits.rate("40gbit", field: "r"), 5_000_000_000)
        XCTAssertThrowsError(try TcUnits.rate("1furlong", field: "r"))
        XCTAssertThrowsError(try TcUnits.rate("0bit", field: "r"))
        XCTAssertEqual(TcUnits.formatRate(bytesPerSecond: 125_000), "1Mbit")
        XCTAssertEqual(TcUnits.formatRate(bytesPerSecond: 12_500), "100Kbit")
    }

    func testSizesUseTcs1024Table() throws {
        XCTAssertEqual(try TcUnits.size("32kbit", field: "b"), 4096)
        XCTAssertEqual(try TcUnits.size("10k", field: "b"), 10240)
        XCTAssertEqual(try TcUnits.size("10kb", field: "b"), 10240)
        XCTAssertEqual(try TcUnits.size("1mb", field: "b"), 1_048_576)
        XCTAssertEqual(try TcUnits.size("1500", field: "b"), 1500)
        XCTAssertEqual(try TcUnits.size("1500b", field: "b"), 1500)
        XCTAssertThrowsError(try TcUnits.size("5gb", field: "b"))
        XCTAssertThrowsError(try TcUnits.size("12q", field: "b"))
    }

    func testTimesAreNanosecondsBareIsMicroseconds() throws {
        XCTAssertEqual(try TcUnits.time("100ms", field: "t"), 100_000_000)
        XCTAssertEqual(try TcUnits.time("250us", field: "t"), 250_000)
        XCTAssertEqual(try TcUnits.time("1.5s", field: "t"), 1_500_000_000)
        XCTAssertEqual(try TcUnits.time("250", field: "t"), 250_000)
        XCTAssertThrowsError(try TcUnits.time("soon", field: "t"))
        XCTAssertThrowsError(try TcUnits.time("-5ms", field: "t"))
        XCTAssertEqual(TcUnits.formatTime(ns: 100_000_000), "100ms")
    }

    func testHandlesFormatAndParseLikeTc() {
        XCTAssertEqual(QdiscHandle.format(QdiscHandle.chaosctl), "ca05:")
        XCTAssertEqual(QdiscHandle.parse("ca05:"), 0xCA05_0000)
        XCTAssertEqual(QdiscHandle.parse("1:2"), 0x0001_0002)
        XCTAssertNil(QdiscHandle.parse("10000:"))
        XCTAssertNil(QdiscHandle.parse("zz"))
        XCTAssertTrue(QdiscHandle.isChaosctl(0xCA05_0000))
        XCTAssertFalse(QdiscHandle.isChaosctl(0x0001_0000))
    }
}
