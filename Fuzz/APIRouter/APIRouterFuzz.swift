import ChaosHTTPServer
import ChaosProxy
import ChaosProxyAPI
import FuzzSupport

/// One engine for the whole run (its loop threads are costly to start); each input gets a
/// fresh registry and router over it, and stops every proxy it made before the next.
let engine = EpollProxyEngine(loops: 1, seed: 1, timerUnderstudy: false)
let bearerToken = "fuzz-token"

/// One input is a sequence of requests separated by NUL bytes. Each is
/// `METHOD TARGET [TOKEN]\nBODY`: the optional third word is sent as `Authorization: Bearer
/// TOKEN`. The input's first byte, when odd, makes the router require the token.
func fuzzAPIRouter(_ input: [UInt8]) {
    guard let control = input.first else { return }
    let registry = ProxyRegistry(dataPlane: LoopbackDataPlane(engine: engine))
    let router = APIRouter(registry: registry, token: control & 1 == 1 ? bearerToken : nil)
    defer { registry.stopAll() }
    for record in input.dropFirst().split(separator: 0, omittingEmptySubsequences: false).prefix(32) {
        let newline = record.firstIndex(of: 10) ?? record.endIndex
        let words = String(decoding: record[record.startIndex..<newline], as: UTF8.self)
            .split(separator: " ", maxSplits: 2).map(String.init)
        guard words.count >= 2 else { continue }
        var headers: [(name: String, value: String)] = [("Host", "127.0.0.1")]
        if words.count == 3 { headers.append(("Authorization", "Bearer " + words[2])) }
        let body = newline < record.endIndex ? Array(record[(newline + 1)...]) : []
        let response = router.handle(HTTPServerRequest(method: words[0], target: words[1], headers: headers, body: body))
        _ = response.serialized(date: "Thu, 01 Jan 2026 00:00:00 GMT")
    }
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzAPIRouter(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzAPIRouter) } }
#endif
