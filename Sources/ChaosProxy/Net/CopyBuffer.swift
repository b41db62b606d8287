/// A loop's scratch memory for copying small chunks socket → socket with read()+send():
/// for a few hundred bytes that is cheaper than two splice() calls through a pipe.
/// Only the loop's thread uses it, and never across calls: nothing stays in it.
final class CopyBuffer {
    /// Reads that fill the buffer mean bulk traffic: the direction goes back to splice.
    static let size = 16 * 1024
    let base: UnsafeMutableRawPointer

    init() { base = UnsafeMutableRawPointer.allocate(byteCount: CopyBuffer.size, alignment: 64) }

    deinit { base.deallocate() }
}
