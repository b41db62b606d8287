/// The phases `ExperimentRunner` tags probe samples with, in run order: `pre` (steady state
/// before any fault), `during` (the method), `post` (recovery after the rollbacks). An SLO's
/// `phases` may name only these: any other name would match no sample and check nothing.
public enum ExperimentPhase {
    public static let names = ["pre", "during", "post"]
}
