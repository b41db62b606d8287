import CChaosLinux
import ChaosCore
import Glibc

/// What a direction asks of its connection after it ran.
enum DirectionOutcome: Equatable {
    case ok
    /// Close both sockets normally (limit_data, timeout, a failed upstream).
    case close
    /// Reset both sockets (RST propagation, reset_peer).
    case reset
}

/// One direction of a connection: bytes from `source` to `destination`.
///
/// Two modes, chosen per moment, never per connection:
/// - **pass-through**: no toxic acts and nothing is queued. Bulk data is spliced (`splice()`
///   moves bytes socket → pipe → socket inside the kernel; the pipe is borrowed from the
///   loop's pool only while bytes are in it). Small messages (a read that does not fill the
///   loop's 32 KiB copy buffer) are copied through that buffer with recv/send instead:
///   measured here, that costs the kernel less per request than moving pages through a
///   pipe. A full buffer switches to splicing, a small splice switches back.
/// - **buffered**: toxics act: bytes are read into memory, pass the toxic chain, and wait
///   in `out` until they can be written.
/// Invariant: pipe bytes and `out` are never both non-empty, and the pipe is always written
/// out before `out` is appended to (the pipe's bytes are older) — so order is kept when the
/// mode changes. Back-pressure: the source is read only while what this direction holds is
/// under a bound (one pipe, or `bufferLimit` bytes); otherwise EPOLLIN is turned off.
final class Direction {
    static let bufferLimit = 512 * 1024

    let stream: ToxicStream
    let source: Int32
    let destination: Int32
    let chain: ToxicChain
    private let pipes: PipePool
    private let copyBuffer: CopyBuffer
    /// The last read looked like bulk data: splice rather than copy.
    private var bulk = false
    /// Called with the count of bytes delivered to the destination.
    private let delivered: (Int) -> Void

    private var out: [StreamItem] = []
    private var outHead = 0
    private var outOffset = 0  // bytes of out[outHead] already written
    private(set) var outBytes = 0
    private var pipe: SplicePipe?
    private(set) var pipeBytes = 0

    private(set) var sourceEnded = false
    /// splice() into the pipe said EAGAIN with bytes in it: the pipe is full.
    private var inputStalled = false
    /// The destination said EAGAIN: wait for EPOLLOUT.
    private(set) var destinationBlocked = false
    /// FIN was sent on the destination (shutdown SHUT_WR).
    private(set) var destinationShut = false
    /// When the connection last turned reading on for `source`: bytes that waited in the
    /// kernel while we were not reading (connect, back-pressure) arrive, for the toxics, then.
    var readableSince: Nanos = 0
    /// The other direction of the same connection.
    weak var opposite: Direction?
    /// SO_TIMESTAMPNS is on for `source`, so reads learn when the bytes reached the socket.
    private var stampsArrivals = false

    init(stream: ToxicStream, source: Int32, destination: Int32, pipes: PipePool, copyBuffer: CopyBuffer,
         lateness: LatenessHistogram? = nil, delivered: @escaping (Int) -> Void) {
        self.chain = ToxicChain(lateness: lateness)
        self.stream = stream
        self.source = source
        self.destination = destination
        self.pipes = pipes
        self.copyBuffer = copyBuffer
        self.delivered = delivered
    }

    private var outIsEmpty: Bool { outHead == out.count }
    var isSplicing: Bool { chain.isEmpty && outIsEmpty }
    var heldBytes: Int { outBytes + pipeBytes + chain.heldBytes }

    var wantsRead: Bool {
        guard !sourceEnded && !inputStalled && !destinationShut else { return false }
        return isSplicing ? pipeBytes < SplicePipe.capacity : heldBytes < Direction.bufferLimit
    }

    var wantsWrite: Bool { destinationBlocked }

    var nextDeadline: Nanos? { chain.nextDeadline }

    // MARK: events

    func onReadable(now: Nanos) -> DirectionOutcome {
        guard wantsRead else { return .ok }
        if isSplicing {
            if !bulk && pipeBytes == 0 { return copyThrough(now: now) }
            if let borrowed = pipe ?? pipes.acquire() {
                pipe = borrowed
                return spliceIn(borrowed, now: now)
            }
        }
        return readIntoMemory(now: now)
    }

    func onWritable(now: Nanos) -> DirectionOutcome {
        destinationBlocked = false
        return flush(now: now)
    }

    func onTimer(now: Nanos) -> DirectionOutcome { flush(now: now) }

    /// Swap the toxic chain for `specs` (already filtered to this direction and to the
    /// toxics that apply to this connection). Bytes the old chain held go out at once.
    func applyToxics(_ specs: [ToxicSpec], now: Nanos, makeRandom: (ToxicSpec) -> SeededRandom) -> DirectionOutcome {
        let flushed = chain.rebuild(specs: specs, now: now, makeRandom: makeRandom)
        if !chain.isEmpty && !stampsArrivals {
            // Toxics time bytes from their arrival, not from when this loop got round to
            // reading them (which can be a VM's wake-up latency later).
            stampsArrivals = cchaos_enable_rx_timestamps(source) == 0
        }
        if !chain.isEmpty || !flushed.isEmpty { movePipeToOut() }
        for item in flushed { appendOut(item) }
        return flush(now: now)
    }

    /// Give back the pipe (its content is lost with the connection).
    func teardown() {
        if let pipe {
            pipes.discard(pipe)
            self.pipe = nil
            pipeBytes = 0
        }
    }

    // MARK: reading

    /// Pass-through of a small message: recv into the loop's buffer and send at once; what
    /// the destination does not take waits in `out` (the buffered path's queue).
    private func copyThrough(now: Nanos) -> DirectionOutcome {
        let buffer = copyBuffer.bytes
        let n = recv(source, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
        if n == 0 { return sourceFinished(now: now) }
        if n < 0 { return SocketOps.isWouldBlock(errno) ? .ok : .reset }
        if n == buffer.count { bulk = true }
        var sent = 0
        if !destinationBlocked {
            sent = send(destination, buffer.baseAddress, n, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            if sent < 0 {
                guard SocketOps.isWouldBlock(errno) else { return .reset }
                sent = 0
            }
            if sent > 0 { delivered(sent) }
        }
        if sent < n {
            appendOut(.data(Array(UnsafeRawBufferPointer(rebasing: buffer[sent..<n]))))
            destinationBlocked = true
        }
        return .ok
    }

    private func spliceIn(_ pipe: SplicePipe, now: Nanos) -> DirectionOutcome {
        let room = SplicePipe.capacity - pipeBytes
        let n = cchaos_splice(source, pipe.writeEnd, room, CCHAOS_SPLICE_F_MOVE | CCHAOS_SPLICE_F_NONBLOCK)
        if n > 0 {
            if n < CopyBuffer.size / 8 { bulk = false }  // small again: copy the next read
            pipeBytes += n
            return flush(now: now)
        }
        if n == 0 { return sourceFinished(now: now) }
        let code = errno
        if SocketOps.isWouldBlock(code) {
            if pipeBytes > 0 { inputStalled = true } else { returnEmptyPipe() }
            return .ok
        }
        return .reset
    }

    private func readIntoMemory(now: Nanos) -> DirectionOutcome {
        // Read into the loop's copy buffer, then keep an exact-size copy: a chunk held by a
        // latency toxic must not pin 32 KiB of capacity for a few bytes (the buffer limit
        // counts bytes, so oversized capacity would escape it), and nothing is zero-filled.
        var stamp: UInt64 = 0
        let buffer = copyBuffer.bytes
        let n = stampsArrivals ? cchaos_recv_stamped(source, buffer.baseAddress, buffer.count, &stamp)
                               : recv(source, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
        if n > 0 {
            let arrival = stamp == 0 ? now : min(now, max(Nanos(stamp), readableSince))
            input(.data(Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))), now: arrival)
            return flush(now: now)
        }
        if n == 0 { return sourceFinished(now: now) }
        return SocketOps.isWouldBlock(errno) ? .ok : .reset
    }

    private func sourceFinished(now: Nanos) -> DirectionOutcome {
        sourceEnded = true
        movePipeToOut()
        input(.end, now: now)
        return flush(now: now)
    }

    private func input(_ item: StreamItem, now: Nanos) {
        if chain.isEmpty {
            appendOut(item)
        } else {
            chain.push(item, at: now)
        }
    }

    // MARK: writing

    /// Let due items out of the chain, then write as much as the destination takes.
    private func flush(now: Nanos) -> DirectionOutcome {
        if !chain.isEmpty {
            for item in chain.advance(now: now) { appendOut(item) }
        }
        while !outIsEmpty {
            if destinationBlocked { return .ok }
            switch out[outHead] {
            case .data(let bytes):
                if outOffset < bytes.count {
                    let n = bytes.withUnsafeBytes {
                        send(destination, $0.baseAddress! + outOffset, bytes.count - outOffset, Int32(MSG_NOSIGNAL))
                    }
                    if n < 0 {
                        if SocketOps.isWouldBlock(errno) {
                            destinationBlocked = true
                            return .ok
                        }
                        return .reset
                    }
                    outOffset += n
                    outBytes -= n
                    delivered(n)
                }
                if outOffset >= bytes.count { popOut() }
            case .end:
                popOut()
                if !destinationShut {
                    // The last FIN of the connection needs no shutdown(2): both sockets are
                    // read to EOF and written out, and the close that follows sends it.
                    if opposite?.destinationShut != true { shutdown(destination, Int32(SHUT_WR)) }
                    destinationShut = true
                }
            case .close:
                popOut()
                return .close
            case .reset:
                popOut()
                return .reset
            }
        }
        return flushPipe()
    }

    private func flushPipe() -> DirectionOutcome {
        guard let pipe, pipeBytes > 0, !destinationBlocked else { return .ok }
        let n = cchaos_splice(pipe.readEnd, destination, pipeBytes, CCHAOS_SPLICE_F_MOVE | CCHAOS_SPLICE_F_NONBLOCK)
        if n > 0 {
            pipeBytes -= n
            inputStalled = false
            delivered(n)
            if pipeBytes == 0 { returnEmptyPipe() }
            return .ok
        }
        if n < 0 && SocketOps.isWouldBlock(errno) {
            destinationBlocked = true
            return .ok
        }
        return .reset
    }

    private func appendOut(_ item: StreamItem) {
        out.append(item)
        outBytes += item.byteCount
    }

    private func popOut() {
        outHead += 1
        outOffset = 0
        if outHead == out.count {
            out.removeAll(keepingCapacity: out.count <= 64)
            outHead = 0
        }
    }

    /// Copy whatever sits in the pipe into `out` (a mode change or FIN must queue behind it),
    /// and give the pipe back.
    private func movePipeToOut() {
        guard let pipe else { return }
        if pipeBytes > 0 {
            var bytes = [UInt8](repeating: 0, count: pipeBytes)
            var got = 0
            while got < pipeBytes {
                let n = bytes.withUnsafeMutableBytes { read(pipe.readEnd, $0.baseAddress! + got, pipeBytes - got) }
                if n <= 0 { break }  // cannot happen with bytes in a pipe we own
                got += n
            }
            bytes.removeLast(bytes.count - got)
            if got > 0 { appendOut(.data(bytes)) }
            if got < pipeBytes {
                pipes.discard(pipe)
                self.pipe = nil
                pipeBytes = 0
                inputStalled = false
                return
            }
            pipeBytes = 0
        }
        inputStalled = false
        returnEmptyPipe()
    }

    private func returnEmptyPipe() {
        if let pipe, pipeBytes == 0 {
            pipes.release(pipe)
            self.pipe = nil
        }
    }
}
