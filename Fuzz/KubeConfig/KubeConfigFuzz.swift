import ChaosTargets
import Foundation
import FuzzSupport

/// One input is a kubeconfig file's text. It is parsed, merged with itself (as two KUBECONFIG
/// entries are), and every context it names is resolved to an endpoint; resolving only checks
/// that named files are readable, it never runs an exec plugin or opens a connection.
func fuzzKubeConfig(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    guard let document = try? KubeConfigDocument.parse(text, path: "/fuzz/kubeconfig") else { return }
    let merged = document.merging(document)
    for context in [nil] + merged.contexts.keys.sorted().map(Optional.some) {
        _ = try? KubeConfigLoader.target(from: merged, context: context)
    }
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzKubeConfig(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzKubeConfig) } }
#endif
