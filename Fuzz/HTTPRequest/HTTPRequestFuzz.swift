import ChaosHTTPServer
import FuzzSupport

/// One input is a byte stream as a client would send it on one connection. The first byte
/// picks how the stream is cut into reads (1…64 bytes each, so heads and chunk lines split
/// at every offset) and, with its top bit, small limits so the size checks are reached.
func fuzzHTTPRequest(_ input: [UInt8]) {
    guard let control = input.first else { return }
    let stream = input.dropFirst()
    let limits = control & 0x80 != 0
        ? HTTPRequestParser.Limits(maximumHeadBytes: 256, maximumBodyBytes: 512, maximumHeaderCount: 4)
        : HTTPRequestParser.Limits()
    var parser = HTTPRequestParser(limits: limits)
    let readSize = Int(control & 0x3F) + 1
    var offset = stream.startIndex
    while offset < stream.endIndex {
        let end = min(offset + readSize, stream.endIndex)
        parser.append(stream[offset..<end])
        offset = end
        do {
            while let request = try parser.next() {
                // What the server reads from every request it routes.
                _ = (request.path, request.keepAlive, request.header("Host"))
            }
            if parser.wantsContinue { parser.markContinueSent() }
        } catch {
            return  // the server answers the error status and closes the connection
        }
    }
    _ = parser.hasPartialRequest
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzHTTPRequest(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzHTTPRequest) } }
#endif
