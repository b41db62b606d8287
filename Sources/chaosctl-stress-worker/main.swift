// chaosctl-stress-worker: one CPU or memory stress worker, started by ChaosStress.
//
//   chaosctl-stress-worker cpu LOAD_PERCENT DEADLINE_NS
//   chaosctl-stress-worker memory BYTES DEADLINE_NS
//
// It does nothing until it reads the byte 'g' on stdin: chaosctl first moves it into the
// target's cgroups, then releases it, so not one cycle or page is charged elsewhere. EOF
// instead (chaosctl died before releasing it) ends it at once. Once working it writes
// "ready" on stdout (memory: after every page is touched) and runs until SIGKILL or until
// CLOCK_MONOTONIC passes DEADLINE_NS (0: no deadline), a safety net for a chaosctl that
// was SIGKILLed and never recovered.
//
// A separate executable rather than chaosctl re-executed: it links Glibc only, so the
// memory it charges to the target is the memory asked for plus ~9 MiB of Swift runtime
// (chaosctl itself is ~35 MiB resident), it starts with no blocked signals, and `ps` inside a container names it.
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    let line = Array("chaosctl-stress-worker: \(message)\n".utf8)
    _ = line.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func monotonicNs() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func sleepUntil(_ ns: UInt64) {
    var ts = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
}

/// Block until chaosctl says go; any other outcome (EOF, an error) means it never will.
func waitForRelease() {
    // The pipe may arrive non-blocking (chaosctl makes its ends O_NONBLOCK|O_CLOEXEC).
    _ = fcntl(0, F_SETFL, fcntl(0, F_GETFL) & ~O_NONBLOCK)
    var byte: UInt8 = 0
    while true {
        let n = read(0, &byte, 1)
        if n == 1 && byte == UInt8(ascii: "g") { break }
        if n < 0 && errno == EINTR { continue }
        exit(0)
    }
    close(0)
}

func sayReady() {
    _ = fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK)
    let line = Array("ready\n".utf8)
    _ = line.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count) }
    close(1)
}

func expired(_ deadline: UInt64) -> Bool { deadline != 0 && monotonicNs() >= deadline }

/// Busy for LOAD% of every 100 ms period, asleep for the rest (stress-ng's --cpu-load does
/// the same): the target's CPU accounting sees LOAD% of one core while nothing throttles it.
func burnCPU(load: UInt64, deadline: UInt64) -> Never {
    let period: UInt64 = 100_000_000
    let busy = period * load / 100
    var sink: UInt64 = 0x9E37_79B9_7F4A_7C15
    while !expired(deadline) {
        let start = monotonicNs()
        while monotonicNs() - start < busy {
            for _ in 0..<1000 { sink = sink &* 6_364_136_223_846_793_005 &+ 1 }
        }
        if busy < period { sleepUntil(start + period) }
    }
    exit(sink == 0 ? 1 : 0)
}

/// Map `bytes`, write every page so it is resident and charged, then write one byte per
/// page again every second so it stays resident (and is seen as in use by reclaim).
func holdMemory(bytes: Int, deadline: UInt64) -> Never {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    guard let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
          region != MAP_FAILED else { fail("mmap \(bytes) bytes: \(String(cString: strerror(errno)))") }
    let bytesPointer = region.assumingMemoryBound(to: UInt8.self)
    var round: UInt8 = 1
    func touch() {
        var offset = 0
        while offset < bytes {
            bytesPointer[offset] = round
            offset += page
        }
        round &+= 1
    }
    touch()
    sayReady()
    while !expired(deadline) {
        sleepUntil(min(monotonicNs() + 1_000_000_000, deadline == 0 ? UInt64.max : deadline))
        touch()
    }
    exit(0)
}

// Started by ChildProcess.spawn, which leaves it descriptors 0-2 only.
let args = CommandLine.arguments
guard args.count == 4, let amount = UInt64(args[2]), let deadline = UInt64(args[3]) else {
    fail("usage: chaosctl-stress-worker cpu LOAD_PERCENT DEADLINE_NS | memory BYTES DEADLINE_NS (started by chaosctl stress)")
}
switch args[1] {
case "cpu":
    guard (1...100).contains(amount) else { fail("load \(amount) is not 1…100") }
    waitForRelease()
    sayReady()
    burnCPU(load: amount, deadline: deadline)
case "memory":
    guard amount > 0, amount <= UInt64(Int.max) else { fail("size \(amount) is out of range") }
    waitForRelease()
    holdMemory(bytes: Int(amount), deadline: deadline)
default:
    fail("unknown resource '\(args[1])' (cpu, memory)")
}
