/// One scratch buffer per event loop for bytes that pass through user space: a small read
/// is copied through it (recv, then send), and the buffered path reads into it before
/// keeping an exact-size copy. Only the loop's thread touches it, and nothing stays in it
/// from one call to the next.
final class CopyBuffer {
    static let size = 32 * 1024
    let bytes: UnsafeMutableRawBufferPointer

    init() { bytes = .allocate(byteCount: CopyBuffer.size, alignment: 64) }
    deinit { bytes.deallocate() }
}
