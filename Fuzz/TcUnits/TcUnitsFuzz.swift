@testable import ChaosNet
import FuzzSupport

/// One input is read two ways. As text: every tc number parser (times, rates, sizes,
/// percentages, counts), the loss phrase and a distribution table take it whole, as they
/// take a command-line value or a .dist file. As bytes: the netem and tbf decoders take it
/// as the attributes of a qdisc dump (what `show` and the pre-revert check read back from
/// the kernel). Whatever parses is also formatted, as `show` prints it.
func fuzzTcUnits(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    let field = "--fuzz"
    if let ns = try? TcUnits.time(text, field: field) { _ = TcUnits.formatTime(ns: ns) }
    if let rate = try? TcUnits.rate(text, field: field) { _ = TcUnits.formatRate(bytesPerSecond: rate) }
    if let bytes = try? TcUnits.size(text, field: field) { _ = TcUnits.formatSize(bytes: bytes) }
    if let scaled = try? TcUnits.probability(text, field: field) { _ = TcUnits.formatPercent(scaled) }
    _ = try? TcUnits.integer(text, field: field, as: Int32.self)
    _ = try? TcUnits.integer(text, field: field, as: UInt64.self)
    _ = try? NetemLoss.parse(text, correlation: 7).summary
    _ = try? DelayDistribution.parseTable(text, source: "fuzz.dist")
    _ = NetemOptions.decode(input)?.summary
    _ = TbfSpec.decode(input)?.summary
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzTcUnits(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzTcUnits) } }
#endif
