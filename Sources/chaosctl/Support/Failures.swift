import ArgumentParser
import ChaosCore
import Foundation

/// Prints a failure the way every command does ("chaosctl: <message>") and maps it to its exit code.
enum Failures {
    static func printError(_ message: String) {
        printRaw("chaosctl: \(message)")
    }

    /// Something valid but probably not what was meant: said, and the command goes on.
    static func printWarning(_ message: String) {
        printRaw("chaosctl: warning: \(message)")
    }

    /// A line (or lines) on stderr as it is, ending in one newline.
    static func printRaw(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Run `body`; turn any error into a message on stderr and a distinct exit code.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ArgumentParser.ExitCode {
            throw exit
        } catch let clean as CleanExit {
            throw clean
        } catch let failure as ChaosFailure {
            printError(failure.description)
            throw ArgumentParser.ExitCode(failure.exitCode.rawValue)
        } catch {
            let mapped = ErrorMapping.map(error)
            printError(mapped.description)
            throw ArgumentParser.ExitCode(mapped.exitCode.rawValue)
        }
    }
}
