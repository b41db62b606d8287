/// One call for the run's end: read a generator's output whole and cut it into the plan's
/// phases. (Live use polls a reader into a `PhaseAccumulator` or `LiveLoadWindow` instead.)
public enum LoadResults {
    /// k6: `resultsPath` is the `--out json` file, `summaryPath` the `--summary-export` file.
    public static func k6(resultsPath: String, summaryPath: String?, plan: LoadPhasePlan,
                          options: LoadAnalysisOptions = LoadAnalysisOptions(), exit: GeneratorExit? = nil) -> LoadSummary {
        let reader = K6OutputReader(path: resultsPath)
        var accumulator = PhaseAccumulator(plan: plan, options: options)
        reader.finish(into: &accumulator)
        var problems = reader.problems
        var thresholds: [K6Threshold] = []
        if let summaryPath {
            do {
                thresholds = try K6SummaryExport.read(path: summaryPath).thresholds
            } catch let invalid as K6SummaryExport.Invalid {
                // Without it k6's thresholds are unknown, the per-request figures are not.
                problems.append(LoadProblem(source: summaryPath, message: "\(invalid.message); k6's thresholds are not known",
                                            effect: .note))
            } catch {
                problems.append(LoadProblem(source: summaryPath, message: "\(error); k6's thresholds are not known", effect: .note))
            }
        }
        return accumulator.summary(tool: .k6, source: resultsPath, counts: reader.counts, problems: problems,
                                   thresholds: thresholds, exit: exit)
    }

    public static func jsonl(path: String, mapping: JSONLFieldMapping, plan: LoadPhasePlan,
                             options: LoadAnalysisOptions = LoadAnalysisOptions(), exit: GeneratorExit? = nil) -> LoadSummary {
        let reader = JSONLRequestReader(path: path, mapping: mapping)
        var accumulator = PhaseAccumulator(plan: plan, options: options)
        reader.finish(into: &accumulator)
        return accumulator.summary(tool: .jsonl, source: path, counts: reader.counts, problems: reader.problems, exit: exit)
    }

    public static func locust(historyPath: String, plan: LoadPhasePlan,
                              options: LoadAnalysisOptions = LoadAnalysisOptions(), exit: GeneratorExit? = nil) -> LoadSummary {
        let reader = LocustHistoryReader(path: historyPath)
        reader.finish()
        return LocustPhaseAnalysis.summary(reader: reader, plan: plan, options: options, exit: exit)
    }
}
