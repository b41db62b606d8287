/// The timeline's colours, each used for one kind of mark only, so a reader (and the
/// screenshot test) can tell them apart.
enum ChartPalette {
    static let background = "#fbfbfb"
    static let frame = "#cccccc"
    static let grid = "#e4e4e4"
    static let text = "#333333"
    static let muted = "#555555"
    /// Drawn at `faultOpacity`.
    static let fault = "#f6d5d5"
    static let faultOpacity = "0.7"
    static let faultLabel = "#7a1f1f"
    static let okSample = "#3a6ea5"
    static let failedSample = "#dd1111"
    static let sloLimit = "#e07000"
    static let recovered = "#1a9a3a"
    static let phaseChange = "#888888"
    static let oneShot = "#cc0000"

    /// Lines of each quantity: the probes' own series first, then any added ones.
    static func series(_ quantity: TimeSeries.Quantity, index: Int) -> String {
        let colours: [String]
        switch quantity {
        case .requestRate: colours = ["#7b3fa0", "#2b8cbe", "#4d4d4d"]
        case .errorRate: colours = ["#c2185b", "#8c510a", "#e7298a"]
        case .latency: colours = ["#1b7f7f", "#6b6ecf", "#8c6d31"]
        }
        return colours[index % colours.count]
    }
}
