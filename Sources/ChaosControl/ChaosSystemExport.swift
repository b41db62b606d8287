// The clock and the atomic writer are part of what a service linking ChaosControl may use.
@_exported import ChaosSystem
