import ChaosTestSupport
import Foundation
import XCTest

/// `profile apply NAME` from a directory without the repository's fault-profiles/: the
/// profiles built into chaosctl are used, a file of the same name wins, and a name found
/// nowhere is refused with every place looked in.
final class ProfileLookupTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        cli.workingDirectory = temp.path  // no fault-profiles/ here
    }

    private func flagNames() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: cli.controlPath) else { return [] }
        return Set(((try jsonObject(atPath: cli.controlPath)["flags"] as? [String: Any]) ?? [:]).keys)
    }

    /// The flags the repository's own profile file sets, applied from the repository root.
    private func flagsOfRepositoryFile(_ path: String) throws -> Set<String> {
        var fromRoot = Chaosctl(controlPath: temp.path + "/root-control.json", stateDir: temp.path + "/root-state")
        fromRoot.workingDirectory = packageRoot
        let r = try fromRoot.run(["profile", "apply", path, "--for", "1m"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("(\(path),"), "from the root the file is used: \(r.stdout)")
        return Set(((try jsonObject(atPath: fromRoot.controlPath)["flags"] as? [String: Any]) ?? [:]).keys)
    }

    func testANameAppliesTheBuiltInProfileAnywhere() throws {
        let r = try cli.run(["profile", "apply", "flaky-storage", "--for", "1m"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("built-in fault-profiles/flaky-storage.yaml"), r.stdout)
        XCTAssertEqual(try flagNames(), try flagsOfRepositoryFile("fault-profiles/flaky-storage.yaml"))
    }

    func testTheRepositoryPathAlsoWorksAnywhere() throws {
        let r = try cli.run(["profile", "apply", "fault-profiles/hard-backpressure.yaml", "--for", "1m"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("built-in fault-profiles/hard-backpressure.yaml"), r.stdout)
        XCTAssertEqual(try flagNames(), try flagsOfRepositoryFile("fault-profiles/hard-backpressure.yaml"))
    }

    func testAFileOfTheSameNameWinsOverTheBuiltInOne() throws {
        try FileManager.default.createDirectory(atPath: temp.path + "/fault-profiles", withIntermediateDirectories: true)
        try "flags:\n  users-own-flag: {percent: 5}\n".write(toFile: temp.path + "/fault-profiles/flaky-storage.yaml",
                                                           atomically: true, encoding: .utf8)
        let r = try cli.run(["profile", "apply", "flaky-storage", "--for", "1m"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("(fault-profiles/flaky-storage.yaml,"), r.stdout)
        XCTAssertFalse(r.stdout.contains("built-in"), r.stdout)
        XCTAssertEqual(try flagNames(), ["users-own-flag"])
        let list = try cli.run(["profile", "list"])
        let line = list.stdout.components(separatedBy: "\n").first { $0.hasPrefix("flaky-storage ") } ?? ""
        XCTAssertTrue(line.contains("users-own-flag") && !line.contains("built-in"), list.stdout)
    }

    func testAnUnknownNameSaysWhereItLooked() throws {
        let r = try cli.run(["profile", "apply", "no-such-profile"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        for place in ["no-such-profile", "fault-profiles/no-such-profile.yaml", "fault-profiles/no-such-profile.json",
                      "relative to \(temp.path)", "built into chaosctl (flaky-storage, hard-backpressure"] {
            XCTAssertTrue(r.stderr.contains(place), "missing '\(place)' in: \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath), "nothing may be written")
    }

    /// Every file in the repository's fault-profiles/ is built in (a new one needs its
    /// `.embedInCode` line in Package.swift and its entry in ShippedProfiles.files).
    func testEveryRepositoryProfileIsBuiltIn() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/fault-profiles").sorted()
        XCTAssertFalse(files.isEmpty)
        let list = try cli.run(["profile", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        for file in files {
            let name = (file as NSString).deletingPathExtension
            let line = list.stdout.components(separatedBy: "\n").first { $0.hasPrefix(name + " ") } ?? ""
            XCTAssertTrue(line.contains("(built-in fault-profiles/\(file))"),
                          "fault-profiles/\(file) is not built into chaosctl: add .embedInCode(\"../../fault-profiles/\(file)\") "
                          + "to ChaosFlags in Package.swift and its entry to ShippedProfiles.files. `profile list` printed:\n\(list.stdout)")
        }
    }
}
