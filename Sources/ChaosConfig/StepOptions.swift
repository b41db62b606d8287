import ChaosCore

/// An experiment step written as a fault's options (`netem: {dev: eth0, delay: 100ms}`),
/// read into the same `OptionValues` the CLI builds, so one function of the fault module
/// makes the options model for both. Keys are the CLI's long names; `_` may stand for `-`.
public extension ConfigNode {
    /// The step's options, or nil after reporting problems. Unknown keys are reported with a
    /// suggestion. An empty value means "not set", so `netns: ${NET_NS:-}` can be left out
    /// by the environment. `true`/`false` (unquoted) are switches; lists repeat an option.
    func optionValues(allowed: [String], ignoring: Set<String> = []) -> OptionValues? {
        guard let entries = entries() else { return nil }
        let spelled = Set(allowed).union(ignoring).union(allowed.map { $0.replacingOccurrences(of: "-", with: "_") })
        checkKeys(spelled)
        var values = OptionValues()
        var valid = true
        for (key, value) in entries where !ignoring.contains(key) {
            let name = key.replacingOccurrences(of: "_", with: "-")
            guard allowed.contains(name) else { valid = false; continue }
            if let scalar = value.node.scalar {
                if scalar.string.isEmpty { continue }
                if scalar.style == .plain, let b = value.node.bool { values.set(name, .flag(b)) } else { values.set(name, .text(scalar.string)) }
            } else if let list = value.node.sequence {
                let texts = list.compactMap { $0.scalar?.string }
                if texts.count != list.count { value.problem("expected a list of values"); valid = false; continue }
                values.set(name, .list(texts))
            } else {
                value.problem("expected a value, a list or true/false")
                valid = false
            }
        }
        return valid ? values : nil
    }

    /// Build an options model from `values`, reporting what it refuses: a bad option at that
    /// option's own node (file, line, field, value), anything else at this node. Every bad
    /// option is reported, not only the first: each one found is set aside and the rest are
    /// checked again, until the model is built or what is left fails on something else.
    func build<Model>(_ values: OptionValues, _ make: (OptionValues) throws -> Model) -> Model? {
        var remaining = values
        var reported: Set<String> = []
        while true {
            do {
                let model = try make(remaining)
                return reported.isEmpty ? model : nil
            } catch let e as OptionValueError where !reported.contains(e.option) {
                if let child = self[e.option] ?? self[e.option.replacingOccurrences(of: "-", with: "_")] {
                    child.problem(e.reason, value: e.value)
                } else {
                    problem(e.description)
                }
                reported.insert(e.option)
                remaining.remove(e.option)
            } catch {
                // A check across options is only worth reporting about what the user wrote.
                if reported.isEmpty { problem("\(error)") }
                return nil
            }
        }
    }
}
