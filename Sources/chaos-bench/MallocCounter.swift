// Counts heap allocations so the benchmark can show the hot path makes none.
//
// glibc keeps no allocation counter and `mallinfo2` only reports bytes in use (an
// allocate-then-free per call would net to zero), so this executable defines `malloc`,
// `calloc` and `realloc` itself, counts, and forwards to glibc's real entry points
// (`__libc_malloc` …, which glibc exports for exactly this purpose). Package.swift links
// chaos-bench with --export-dynamic so libswiftCore's and Foundation's calls bind here too.
// `free` is not interposed: the memory still comes from glibc's allocator.
// Over-aligned allocations (posix_memalign / aligned_alloc) are not counted; Swift only
// uses them for types aligned beyond 16 bytes, which the code measured here has none of.
import Synchronization

/// Number of malloc/calloc/realloc calls since process start.
let heapAllocations = Atomic<Int>(0)

@_silgen_name("__libc_malloc")
private func libcMalloc(_ size: Int) -> UnsafeMutableRawPointer?
@_silgen_name("__libc_calloc")
private func libcCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer?
@_silgen_name("__libc_realloc")
private func libcRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer?

@_cdecl("malloc")
public func countingMalloc(_ size: Int) -> UnsafeMutableRawPointer? {
    heapAllocations.wrappingAdd(1, ordering: .relaxed)
    return libcMalloc(size)
}

@_cdecl("calloc")
public func countingCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    heapAllocations.wrappingAdd(1, ordering: .relaxed)
    return libcCalloc(count, size)
}

@_cdecl("realloc")
public func countingRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    heapAllocations.wrappingAdd(1, ordering: .relaxed)
    return libcRealloc(pointer, size)
}

/// Allocations made while running `body`.
func allocationsDuring(_ body: () -> Void) -> Int {
    let before = heapAllocations.load(ordering: .relaxed)
    body()
    return heapAllocations.load(ordering: .relaxed) - before
}

/// Whether the interposition is live (it is not if the linker flag was dropped).
func allocationCounterWorks() -> Bool {
    // An array whose size is only known at run time cannot be promoted to the stack.
    let size = CommandLine.arguments.count + 1000
    var kept: [Int] = []
    let counted = allocationsDuring { kept = Array(repeating: 7, count: size) }
    return counted >= 1 && kept.count == size
}
