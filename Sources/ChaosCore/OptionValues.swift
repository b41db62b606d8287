/// A fault's options as the user wrote them, by name, before they are typed: what a CLI
/// command collects from its arguments and what an experiment step holds under its key.
/// Each fault module turns these into its own options model in one function, so the names,
/// defaults and checks are written once for the command line and the experiment file alike.
///
/// Names are the CLI's long option names without the dashes ("loss-correlation").
public struct OptionValues: Equatable, Sendable {
    public enum Value: Equatable, Sendable {
        case text(String)
        case list([String])
        case flag(Bool)
    }

    public private(set) var values: [String: Value] = [:]

    public init() {}

    /// Leaves a nil (an option not given) unset, so the model's default applies.
    public mutating func set(_ name: String, _ text: String?) {
        if let text { values[name] = .text(text) }
    }

    public mutating func set(_ name: String, _ list: [String]) {
        if !list.isEmpty { values[name] = .list(list) }
    }

    public mutating func set(_ name: String, flag: Bool) {
        if flag { values[name] = .flag(true) }
    }

    public mutating func set(_ name: String, _ value: Value) { values[name] = value }

    public mutating func remove(_ name: String) { values[name] = nil }

    public var names: [String] { values.keys.sorted() }

    // MARK: reading, for the options models

    public func text(_ name: String) -> String? {
        switch values[name] {
        case .text(let t)?: return t
        case .list(let l)?: return l.last
        case .flag(let b)?: return String(b)
        case nil: return nil
        }
    }

    public func list(_ name: String) -> [String] {
        switch values[name] {
        case .list(let l)?: return l
        case .text(let t)?: return [t]
        default: return []
        }
    }

    /// A flag given as a flag, or as the text true/false (a step's quoted value).
    public func flag(_ name: String) throws -> Bool {
        switch values[name] {
        case .flag(let b)?: return b
        case .text(let t)?:
            switch t.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: throw OptionValueError(option: name, value: t, reason: "is not true or false")
            }
        case .list?: throw OptionValueError(option: name, value: nil, reason: "is a switch: give true or false, not a list")
        case nil: return false
        }
    }

    /// The option's text converted by `convert`; any error it throws becomes an
    /// `OptionValueError` naming this option and value. nil when the option was not given.
    public func parse<T>(_ name: String, _ convert: (String) throws -> T) throws -> T? {
        guard let text = text(name) else { return nil }
        return try Self.converting(name, text, convert)
    }

    /// Every item of a list option, converted.
    public func parseList<T>(_ name: String, _ convert: (String) throws -> T) throws -> [T] {
        try list(name).map { try Self.converting(name, $0, convert) }
    }

    private static func converting<T>(_ name: String, _ text: String, _ convert: (String) throws -> T) throws -> T {
        do { return try convert(text) } catch let e as OptionValueError {
            throw e
        } catch let failure as ChaosFailure {
            throw OptionValueError(option: name, value: text, reason: failure.description, exitCode: failure.exitCode)
        } catch {
            throw OptionValueError(option: name, value: text, reason: "\(error)")
        }
    }
}

/// One option's value is wrong. The CLI shows `--name: 'value' reason`; an experiment step
/// shows the reason at the value's file, line and field.
public struct OptionValueError: ChaosFailure, Equatable {
    public var option: String
    public var value: String?
    /// Why, without the option and value (a converter's own "--name: 'value' " prefix is dropped).
    public var reason: String
    public var exitCode: ExitCode

    public init(option: String, value: String?, reason: String, exitCode: ExitCode = .usage) {
        self.option = option
        self.value = value
        let prefix = "--\(option): " + (value.map { "'\($0)' " } ?? "")
        self.reason = reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason
        self.exitCode = exitCode
    }

    public var description: String {
        "--\(option): " + (value.map { "'\($0)' " } ?? "") + reason
    }
}
