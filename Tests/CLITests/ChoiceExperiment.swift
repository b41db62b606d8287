/// An experiment whose steady state always holds (`true` every 100 ms), for tests about what
/// its steps choose rather than what they break: one method step per entry of `steps`
/// (each a step body such as `pod: {...}`), named "step 1", "step 2", ….
func choiceExperiment(title: String, steps: [String]) -> String {
    var yaml = """
    title: \(title)
    steady_state:
      interval: 100ms
      before: 200ms
      after: 500ms
      healthy_after: 1
      probes:
        - name: fine
          command: "true"
    method:

    """
    for (index, step) in steps.enumerated() { yaml += "  - name: step \(index + 1)\n    \(step)\n" }
    return yaml
}
