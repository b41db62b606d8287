import ChaosCore
import ChaosExperiment
import ChaosFlags
import ChaosNet
import ChaosProxyClient
import ChaosStress
import ChaosTargets

/// One place that knows every fault kind's reverter, so `recover` can revert anything
/// any part of chaosctl applied.
enum Lifecycle {
    static func make(journal: FaultJournal) -> FaultLifecycle {
        FaultLifecycle(journal: journal, reverters: allReverters())
    }

    static func allReverters() -> [FaultReverter] {
        [FlagReverter(), CommandReverter(), ContainerPauseReverter(), ContainerDisconnectReverter(), ContainerLimitReverter(),
         ProxyReverter(), ToxicReverter(), ProxyDownReverter(), StressReverter(), PortBlockReverter(),
         NodeCordonReverter(), ScaleReverter(), PartitionReverter()] + QdiscReverter.all
    }
}
