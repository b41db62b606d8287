// A separate writer process for ChaosControlTests: real processes contend for the real lock.
//
//   control-writer-helper enable <control-file> <flag> [<go-file>]
//       waits until <go-file> exists (so many processes start writing at once), then
//       enables <flag> with one ControlFileWriter.update.
//   control-writer-helper churn <control-file> <count>
//       rewrites the file <count> times, toggling flag "churn" and changing its size.
import ChaosControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("control-writer-helper: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else { fail("usage: enable <file> <flag> [<go-file>] | churn <file> <count>") }
let writer = ControlFileWriter(path: arguments[2], updatedBy: "control-writer-helper pid \(getpid())")

do {
    switch arguments[1] {
    case "enable":
        if arguments.count >= 5 {
            let deadline = Date().addingTimeInterval(30)
            while access(arguments[4], F_OK) != 0 {
                if Date() > deadline { fail("go-file never appeared") }
                usleep(500)
            }
        }
        try writer.update { $0.flags[arguments[3]] = Flag(enabled: true) }
    case "churn":
        guard let count = Int(arguments[3]) else { fail("count must be an integer") }
        for index in 0..<count {
            try writer.update { document in
                document.flags["churn"] = Flag(enabled: index % 2 == 0, percent: Double(index % 101),
                                               params: ["padding": .string(String(repeating: "x", count: index % 300))])
            }
        }
    default:
        fail("unknown command \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
