import ChaosControl
import Foundation
import FuzzSupport

/// One input is a control file's bytes, as a service's reader would find them on disk. Checks,
/// besides "no crash", the protocol's promise to writers: a document a reader accepts can be
/// written back (unknown fields preserved), the written file is accepted too, and rewriting
/// it changes no byte (the encoder normalises numbers such as `5.0` to `5` on the first write).
func fuzzControlDocument(_ input: [UInt8]) {
    guard let document = try? ControlDocument.decode(Data(input), path: "/fuzz/control.json") else { return }
    let written: Data
    do { written = try document.encoded() } catch {
        fatalError("a document the reader accepted cannot be written back: \(error)")
    }
    let rewritten: Data
    do { rewritten = try ControlDocument.decode(written).encoded() } catch {
        fatalError("a written document is refused: \(error)\n\(String(decoding: written, as: UTF8.self))")
    }
    guard rewritten == written else {
        fatalError("a rewrite changed the file:\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: rewritten, as: UTF8.self))")
    }
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzControlDocument(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzControlDocument) } }
#endif
