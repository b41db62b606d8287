import ArgumentParser
import ChaosCore
import ChaosDemo
import ChaosExperiment
import ChaosFlags
import ChaosReport
import Foundation

/// `chaosctl demo`: start the demo stack, run experiments/demo.yaml against it, print where
/// the report is. Needs nothing but this binary: the experiment and its profiles are built in.
struct DemoRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the demo experiment against the embedded demo service (the default).")

    @Option(help: ArgumentHelp("The experiment to run (default experiments/demo.yaml if that file is here, else the copy built into chaosctl).",
                               valueName: "file"))
    var experiment: String?
    @Option(help: ArgumentHelp("Where the reports go (default results/<time>-demo).", valueName: "dir")) var reportDir: String?
    @Option(help: "Seed for reproducible runs.") var seed: UInt64 = 7

    func run() throws {
        let result: ExperimentRunner.Result = try Failures.reporting {
            let work = NSTemporaryDirectory() + "chaosctl-demo-\(getpid())"
            try AtomicFile.ensureDirectory(work)
            defer { try? FileManager.default.removeItem(atPath: work) }
            let controlPath = work + "/control.json"
            let experiment = try self.experiment ?? Self.defaultExperiment(work: work)
            let stack = try DemoStack(controlPath: controlPath, seed: seed)
            defer { stack.stop() }
            print("demo service \(stack.serviceURL) → proxy \(DemoStack.proxyName) (API \(stack.apiURL)) → database; control file \(controlPath)")
            var environment = ProcessInfo.processInfo.environment
            environment["CHAOSCTL_DEMO_URL"] = stack.serviceURL
            environment["CHAOSCTL_DEMO_API"] = stack.apiURL
            setenv("CHAOSCTL_DEMO_URL", stack.serviceURL, 1)
            setenv("CHAOSCTL_DEMO_API", stack.apiURL, 1)
            let dir = reportDir ?? RunCommand.defaultReportDirectory(for: experiment)
            environment[ReportDirectoryEnvironment.name] = ReportDirectoryEnvironment.export(dir)
            let context = ExperimentContext(controlPath: controlPath, httpTransport: CurlProbeTransport(), seed: seed)
            let parsed = try ExperimentParser.load(file: experiment, context: context, environment: environment)
            // The demo's faults are journaled in its own state directory: they die with it.
            let runner = ExperimentRunner(experiment: parsed, lifecycle: Lifecycle.make(journal: FaultJournal(directory: work + "/state")),
                                          options: .init(reportDirectory: dir, seed: seed))
            return try runner.run()
        }
        VerdictLines.print(result.report)
        let html = result.files.first { $0.hasSuffix(".html") } ?? ""
        print("\nReport: \((html as NSString).deletingLastPathComponent)/ (open \(html) in a browser)")
        if result.outcome != .passed { throw ArgumentParser.ExitCode(result.outcome.exitCode.rawValue) }
    }

    /// experiments/demo.yaml where the user is (their edits win), else the built-in copy
    /// laid out in the demo's scratch directory.
    private static func defaultExperiment(work: String) throws -> String {
        if FileManager.default.fileExists(atPath: DemoExperiment.path) { return DemoExperiment.path }
        let file = try DemoExperiment.write(into: work, profiles: ShippedProfiles.files)
        print("experiment: the built-in \(DemoExperiment.path) (no such file in \(FileManager.default.currentDirectoryPath))")
        return file
    }
}

/// `chaosctl demo service`: run the demo stack in the foreground for hands-on use.
struct DemoServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Run the demo service, its proxy and database until Ctrl-C.")
    @OptionGroup var control: ControlFileOptions
    @Option(help: "Port of the demo service.") var port: UInt16 = 18080
    @Option(help: "Port of the proxy API.") var apiPort: UInt16 = 18474

    func run() throws {
        try Failures.reporting {
            // Trap before the first line: a signal right after it is the normal stop.
            let done = DispatchSemaphore(value: 0)
            let trap = SignalTrap { _ in done.signal() }
            defer { trap.cancel() }
            let stack = try DemoStack(controlPath: control.path, servicePort: port, apiPort: apiPort, seed: nil)
            print("demo service \(stack.serviceURL)  proxy API \(stack.apiURL)  control file \(control.path)")
            print("try: chaosctl flag enable slow-db --percent 50 --latency 200ms --control-file \(control.path)")
            print("     chaosctl toxic add -t latency -a latency=300 \(DemoStack.proxyName) --host \(stack.apiURL)")
            done.wait()
            stack.stop()
        }
    }
}
