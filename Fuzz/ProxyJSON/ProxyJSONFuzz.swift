import ChaosJSON
import ChaosProxyAPI
import FuzzSupport

/// One input is a request body (or a `-config` file). Checks, besides "no crash", that what
/// the parser accepts survives a write and a second parse unchanged: the server echoes
/// parsed extension fields back through `JSONWriter`.
func fuzzProxyJSON(_ input: [UInt8]) {
    _ = try? ProxyConfigLoader.parse(input, file: "fuzz.json")
    guard let value = try? JSONParser.parse(input) else { return }
    let written = JSONWriter.value(value)
    guard let again = try? JSONParser.parse(written), again == value else {
        fatalError("JSON round trip changed the value: \(written)")
    }
    // The decoders every API body goes through.
    _ = try? ProxyDefinition.decode(value)
    _ = try? ProxyUpdate.decode(value)
    if let toxic = try? ToxicDecoding.decodeNew(value, exists: { $0 == "latency_downstream" }) {
        _ = try? ToxicDecoding.applyUpdate(value, to: toxic)
    }
    if let reader = try? GoFieldReader(value, structName: "Fuzz", goType: "fuzz.Fuzz"), case .object(let members) = value {
        for (key, _) in members {
            _ = (try? reader.string(key), try? reader.bool(key), try? reader.float32(key), try? reader.int64(key))
        }
    }
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzProxyJSON(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzProxyJSON) } }
#endif
