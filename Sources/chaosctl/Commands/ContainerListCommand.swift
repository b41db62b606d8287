import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

struct ContainerListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the containers a selection matches (all states unless --status).")
    @OptionGroup var select: ContainerSelectionOptions

    func run() throws {
        try Failures.reporting {
            // The selection alone; a list shows every state unless --status narrows it.
            let options = try ContainerFaultOptions(action: .start, selection: select.values())
            let selector = ContainerSelector(labels: options.labels, name: try options.name.map(NamePattern.init),
                                             statuses: options.statuses, pick: options.pick)
            let engine = try options.engine()
            let info = try engine.engineInfo()
            let found = try selector.candidates(in: engine)
            print("engine \(engine.host): \(info.server.isEmpty ? "unknown server" : info.server), API \(info.apiVersion)")
            for c in found {
                let labels = c.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                print("\(c.shortID)  \(c.name.padding(toLength: max(20, c.name.count), withPad: " ", startingAt: 0))  \(c.state.padding(toLength: 10, withPad: " ", startingAt: 0))  \(labels)")
            }
            print("\(found.count) container(s) match \(selector.description)")
        }
    }
}
