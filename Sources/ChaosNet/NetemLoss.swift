import ChaosCore

/// netem's loss models. Probabilities are the kernel's u32 scale (100 % = UINT32_MAX).
public enum NetemLoss: Equatable, Sendable {
    /// Independent loss with an optional correlation to the previous packet's fate.
    case random(probability: UInt32, correlation: UInt32)
    /// Gilbert-Elliott: p (good→bad), r (bad→good), 1-h (loss in bad), 1-k (loss in good).
    case gilbertElliott(p: UInt32, r: UInt32, oneMinusH: UInt32, oneMinusK: UInt32)
    /// 4-state Markov (GI model): transition probabilities p13, p31, p32, p23, p14.
    case fourState(p13: UInt32, p31: UInt32, p32: UInt32, p23: UInt32, p14: UInt32)

    /// Parse tc's loss phrase: "5%", "random 5% 25%", "gemodel 1% 10% 70% 0.1%",
    /// "state 1% 10% 0% 0% 0%". Words may be separated by spaces or commas. Defaults for
    /// omitted trailing values are tc's: gemodel r=100 % h=0 % k=0 %; state p31=100 %, rest 0 %.
    public static func parse(_ text: String, correlation: UInt32 = 0) throws -> NetemLoss {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard let first = words.first else {
            throw TcUnits.Invalid(field: "--loss", text: text, reason: "is empty")
        }
        func pct(_ i: Int, _ name: String, default value: UInt32) throws -> UInt32 {
            i < words.count ? try TcUnits.probability(words[i], field: "--loss \(name)") : value
        }
        switch first.lowercased() {
        case "gemodel", "gilbert-elliott", "ge":
            guard words.count >= 2, words.count <= 5 else {
                throw TcUnits.Invalid(field: "--loss", text: text, reason: "needs 'gemodel P [R [1-H [1-K]]]'")
            }
            return .gilbertElliott(p: try pct(1, "p", default: 0), r: try pct(2, "r", default: UInt32.max),
                                   oneMinusH: try pct(3, "1-h", default: 0), oneMinusK: try pct(4, "1-k", default: 0))
        case "state", "4state":
            guard words.count >= 2, words.count <= 6 else {
                throw TcUnits.Invalid(field: "--loss", text: text, reason: "needs 'state P13 [P31 [P32 [P23 [P14]]]]'")
            }
            return .fourState(p13: try pct(1, "p13", default: 0), p31: try pct(2, "p31", default: UInt32.max),
                              p32: try pct(3, "p32", default: 0), p23: try pct(4, "p23", default: 0),
                              p14: try pct(5, "p14", default: 0))
        case "random":
            guard words.count == 2 || words.count == 3 else {
                throw TcUnits.Invalid(field: "--loss", text: text, reason: "needs 'random PERCENT [CORRELATION]'")
            }
            return .random(probability: try pct(1, "percent", default: 0),
                           correlation: words.count == 3 ? try pct(2, "correlation", default: 0) : correlation)
        default:
            guard words.count <= 2 else {
                throw TcUnits.Invalid(field: "--loss", text: text, reason: "is not a loss (5%, random 5% 25%, gemodel P R 1-H 1-K, state P13 P31 P32 P23 P14)")
            }
            return .random(probability: try pct(0, "percent", default: 0),
                           correlation: words.count == 2 ? try pct(1, "correlation", default: 0) : correlation)
        }
    }

    /// tc's way of writing it.
    public var summary: String {
        let f = TcUnits.formatPercent
        switch self {
        case let .random(p, c): return "loss \(f(p))" + (c > 0 ? " \(f(c))" : "")
        case let .gilbertElliott(p, r, h, k): return "loss gemodel p \(f(p)) r \(f(r)) 1-h \(f(h)) 1-k \(f(k))"
        case let .fourState(p13, p31, p32, p23, p14):
            return "loss state p13 \(f(p13)) p31 \(f(p31)) p32 \(f(p32)) p23 \(f(p23)) p14 \(f(p14))"
        }
    }
}
