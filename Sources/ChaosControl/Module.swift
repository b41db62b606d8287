// ChaosControl: the control-file protocol. See docs/control-file.md.
