import ChaosTestSupport
import Foundation
import XCTest

/// docs/architecture.md lists every target under Sources/ with the dependencies Package.swift
/// gives it. On a mismatch the failure says which row to add, change or remove, and how.
final class ArchitectureDocTests: XCTestCase {
    private let doc = "docs/architecture.md"

    typealias Row = (module: String, dependencies: Set<String>)

    func testTheModuleTableMatchesPackageSwift() throws {
        let problems = Self.problems(targets: try PackageManifest.load().targets, rows: try table())
        XCTAssert(problems.isEmpty, "\(doc) does not match Package.swift:\n- " + problems.joined(separator: "\n- "))
    }

    /// The comparison itself, on a new module, a changed dependency and a removed module.
    func testAMismatchNamesTheRowAndTheFix() {
        let targets: [PackageManifest.Target] = [
            .init(name: "ChaosCore", type: "regular", path: nil, dependencies: [], aptProviders: []),
            .init(name: "ChaosProxyClient", type: "regular", path: nil, dependencies: ["ChaosHTTP", "ChaosCore"], aptProviders: []),
            .init(name: "ChaosExperiment", type: "regular", path: nil, dependencies: ["ChaosCore", "ChaosProxyClient"], aptProviders: []),
            .init(name: "ChaosExperimentTests", type: "test", path: nil, dependencies: ["ChaosExperiment"], aptProviders: []),
            .init(name: "FuzzSupport", type: "regular", path: "Fuzz/FuzzSupport", dependencies: [], aptProviders: []),
        ]
        let rows: [Row] = [("ChaosCore", []), ("ChaosExperiment", ["ChaosCore", "ChaosProxyAPI"]), ("ChaosGone", ["ChaosCore"])]
        XCTAssertEqual(Self.problems(targets: targets, rows: rows), [
            "add a row: | `ChaosProxyClient` | <its job> | ChaosHTTP, ChaosCore |",
            "row `ChaosExperiment`: add ChaosProxyClient; remove ChaosProxyAPI (not in Package.swift); "
                + "its dependencies cell becomes: ChaosCore, ChaosProxyClient",
            "remove the row `ChaosGone`: Package.swift has no such target under Sources/",
        ])
    }

    /// How the doc's cells read: a remark in parentheses is not a dependency.
    func testTheDocCellsReadAsNames() throws {
        let rows = try table()
        XCTAssertEqual(rows.first { $0.module == "ChaosJSON" }?.dependencies, [], "'—'")
        XCTAssertEqual(rows.first { $0.module == "ChaosControl" }?.dependencies, ["ChaosJSON", "ChaosSystem"],
                       "'ChaosJSON, ChaosSystem (re-exported: …)'")
        XCTAssertEqual(rows.first { $0.module == "ChaosProbe" }?.dependencies, ["ChaosSystem", "ChaosCore", "Histogram"],
                       "'Histogram (hdrhistogram-swift)'")
    }

    /// Every target in Sources/ needs a row; test targets, and the helpers and fuzz targets
    /// with their own path under Tests/ or Fuzz/, are described in prose.
    static func problems(targets: [PackageManifest.Target], rows: [Row]) -> [String] {
        let covered = targets.filter { $0.type != "test" && $0.type != "plugin" && $0.path == nil }
        var problems: [String] = []
        let counts = Dictionary(rows.map { ($0.module, 1) }, uniquingKeysWith: +)
        for (module, count) in counts.sorted(by: { $0.key < $1.key }) where count > 1 {
            problems.append("row `\(module)` appears \(count) times: keep one")
        }
        let documented = Dictionary(rows.map { ($0.module, $0.dependencies) }) { first, _ in first }
        for target in covered {
            let cell = target.dependencies.isEmpty ? "—" : target.dependencies.joined(separator: ", ")
            guard let written = documented[target.name] else {
                problems.append("add a row: | `\(target.name)` | <its job> | \(cell) |")
                continue
            }
            let real = Set(target.dependencies)
            guard written != real else { continue }
            var fixes: [String] = []
            let missing = real.subtracting(written).sorted(), extra = written.subtracting(real).sorted()
            if !missing.isEmpty { fixes.append("add \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { fixes.append("remove \(extra.joined(separator: ", ")) (not in Package.swift)") }
            problems.append("row `\(target.name)`: \(fixes.joined(separator: "; ")); its dependencies cell becomes: \(cell)")
        }
        let names = Set(covered.map(\.name))
        for module in documented.keys.sorted() where !names.contains(module) {
            problems.append("remove the row `\(module)`: Package.swift has no such target under Sources/")
        }
        return problems
    }

    private func table() throws -> [Row] {
        let text = try String(contentsOfFile: packageRoot + "/" + doc, encoding: .utf8)
        let table = try XCTUnwrap(MarkdownTable(in: text, header: ["module", "job", "depends on"]),
                                  "\(doc) has no table headed | module | job | depends on |")
        return try table.rows.map { cells in
            guard cells.count == 3, let module = MarkdownTable.codeSpans(in: cells[0]).first else {
                throw ManifestError(description: "\(doc): a row needs | `module` | job | dependencies |, not \(cells)")
            }
            return (module, Set(MarkdownTable.names(in: cells[2])))
        }
    }
}
