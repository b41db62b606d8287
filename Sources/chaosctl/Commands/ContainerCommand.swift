import ArgumentParser

/// `chaosctl container …`: chaos on Docker/Podman containers through the Engine API.
public struct ContainerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Kill, crash, stop, start, restart, pause, disconnect or limit containers of a Docker-compatible engine.",
        discussion: """
        Targets are chosen by --label (engine-side filter), --name (glob, or re:REGEX) and state, then --count N (default 1) / --percent P picked at random (--seed replays a pick), or --all. The engine is --docker-host (-H), else $DOCKER_HOST, else unix:///var/run/docker.sock.

        Examples:
          chaosctl container kill --label app=web --count 1 --signal SIGTERM
          chaosctl container crash --label app=web --wait-recovered 30s
          chaosctl container pause --label app=web --percent 50 --for 10s
          chaosctl container restart --name 'web-*' --interval 10s --duration 1m
          chaosctl container disconnect redis --network backend --for 30s
          chaosctl container limit web-1 --cpus 0.5 --memory 256MiB --for 60s
        """,
        subcommands: [ContainerListCommand.self, ContainerKillCommand.self, ContainerCrashCommand.self,
                      ContainerStopCommand.self, ContainerStartCommand.self, ContainerRestartCommand.self,
                      ContainerPauseCommand.self, ContainerDisconnectCommand.self, ContainerLimitCommand.self]
    )

    public init() {}
}
