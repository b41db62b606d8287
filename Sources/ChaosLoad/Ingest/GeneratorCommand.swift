/// The load generators chaosctl knows.
public enum LoadTool: String, Codable, Sendable {
    case k6, locust, jsonl
}

/// A recognised generator command with the output options chaosctl needs, and the files
/// those options will make the generator write.
public struct PreparedGeneratorCommand: Sendable, Equatable {
    public var tool: LoadTool
    public var argv: [String]
    /// k6: the `--out json` file; Locust: `PREFIX_stats_history.csv`.
    public var resultsPath: String
    /// k6: the `--summary-export` file; nil for Locust.
    public var summaryPath: String?
    /// Options chaosctl added (empty when the user had given them all).
    public var added: [String]
    /// Why an option the user gave cannot be read (k6 writing gzip, JSON to stdout), if so.
    public var problem: String?
}

/// Recognises `k6 run …` and `locust …` and adds the output options into the run's report
/// folder unless the user already gave them, in which case the user's files are read. A pure
/// function: no file is touched, nothing is run.
public enum GeneratorCommand {
    public static func prepare(_ argv: [String], reportDirectory: String) -> PreparedGeneratorCommand? {
        guard let program = argv.first else { return nil }
        let base = program.split(separator: "/").last.map(String.init) ?? program
        let folder = reportDirectory.hasSuffix("/") ? String(reportDirectory.dropLast()) : reportDirectory
        if base == "k6", argv.count > 1, argv[1] == "run" { return prepareK6(argv, folder: folder) }
        if base == "locust" { return prepareLocust(argv, folder: folder) }
        return nil
    }

    /// `--name VALUE`, `--name=VALUE` or the short form: each value given for the option.
    static func values(of names: Set<String>, in argv: [String]) -> [String] {
        var found: [String] = []
        var i = 1
        while i < argv.count {
            let arg = argv[i]
            if arg == "--" { break }
            if names.contains(arg), i + 1 < argv.count {
                found.append(argv[i + 1])
                i += 2
                continue
            }
            if let eq = arg.firstIndex(of: "="), names.contains(String(arg[..<eq])) {
                found.append(String(arg[arg.index(after: eq)...]))
            }
            i += 1
        }
        return found
    }

    private static func prepareK6(_ argv: [String], folder: String) -> PreparedGeneratorCommand {
        var out = argv
        var added: [String] = []
        var problem: String?
        // k6 takes several --out; only a json one matters here. `json` alone writes to stdout.
        let outputs = values(of: ["--out", "-o"], in: argv)
        let jsonOutput = outputs.first { $0 == "json" || $0.hasPrefix("json=") }
        let resultsPath: String
        if let jsonOutput {
            let file = jsonOutput.hasPrefix("json=") ? String(jsonOutput.dropFirst(5)) : ""
            resultsPath = file
            if file.isEmpty {
                problem = "k6 --out json without a file writes to standard output, which chaosctl does not read; use --out json=FILE"
            } else if file.hasSuffix(".gz") {
                problem = "k6 writes '\(file)' gzip-compressed, which chaosctl does not read; drop the .gz"
            }
        } else {
            resultsPath = folder + "/k6-results.json"
            added += ["--out", "json=" + resultsPath]
        }
        let summaries = values(of: ["--summary-export"], in: argv)
        let summaryPath: String
        if let given = summaries.last {
            summaryPath = given
        } else {
            summaryPath = folder + "/k6-summary.json"
            added += ["--summary-export", summaryPath]
        }
        // Options go right after `run`, before the script and any `--` (k6 reads flags before the script).
        out.insert(contentsOf: added, at: 2)
        return PreparedGeneratorCommand(tool: .k6, argv: out, resultsPath: resultsPath, summaryPath: summaryPath,
                                        added: added, problem: problem)
    }

    private static func prepareLocust(_ argv: [String], folder: String) -> PreparedGeneratorCommand {
        var out = argv
        var added: [String] = []
        let prefixes = values(of: ["--csv"], in: argv)
        let prefix: String
        if let given = prefixes.last {
            prefix = given
        } else {
            prefix = folder + "/locust"
            added += ["--csv", prefix]
        }
        // The per-second history is only written with --csv-full-history.
        if !argv.contains("--csv-full-history") { added.append("--csv-full-history") }
        let end = out.firstIndex(of: "--") ?? out.endIndex
        out.insert(contentsOf: added, at: end)
        return PreparedGeneratorCommand(tool: .locust, argv: out, resultsPath: prefix + "_stats_history.csv",
                                        summaryPath: nil, added: added, problem: nil)
    }
}
