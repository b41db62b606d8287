import ChaosStress
import XCTest

/// /proc/PID/cgroup and /proc/self/mountinfo as this hybrid host writes them (lines copied
/// from it), plus the cases it does not show: a bind-mounted subtree and an escaped path.
final class CgroupParsingTests: XCTestCase {
    let mountinfo = """
    31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
    32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
    35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
    40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
    41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
    50 23 0:40 /docker/abc /mnt/cpu\\040acct rw shared:9 - cgroup cgroup rw,cpu,cpuacct
    """

    func testEachMembershipMapsToItsHierarchysDirectory() {
        let mounts = CgroupMount.parse(mountinfo)
        XCTAssertEqual(mounts.count, 5, "tmpfs is not a cgroup mount")
        let lines = CgroupMembership.parse("""
        9:name=systemd:/
        4:memory:/process_api/71aa
        1:cpu:/
        0::/
        3:cpu,cpuacct:/docker/abc/inner
        2:pids:/elsewhere
        """)
        func dir(_ m: CgroupMembership) -> String? { mounts.lazy.compactMap { $0.directory(for: m) }.first }
        XCTAssertEqual(lines.map(dir), ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/memory/process_api/71aa", "/sys/fs/cgroup/cpu",
                                        "/sys/fs/cgroup/unified", "/mnt/cpu acct/inner", nil])
        XCTAssertTrue(lines[3].isV2)
        XCTAssertEqual(lines[4].name, "cpu,cpuacct")
    }

    func testACgroupOutsideABindMountedSubtreeHasNoDirectory() {
        let mount = CgroupMount.parse(mountinfo).last!
        XCTAssertNil(mount.directory(for: CgroupMembership(hierarchyID: 3, controllers: ["cpu", "cpuacct"], path: "/docker/abcdef")))
        XCTAssertEqual(mount.directory(for: CgroupMembership(hierarchyID: 3, controllers: ["cpuacct", "cpu"], path: "/docker/abc")),
                       "/mnt/cpu acct")
    }

    func testSizesAreBinaryAndNeedAUnit() throws {
        XCTAssertEqual(try ByteSize.bytes("256MiB"), 256 << 20)
        XCTAssertEqual(try ByteSize.bytes("1g"), 1 << 30)
        XCTAssertEqual(try ByteSize.bytes("512k"), 512 << 10)
        XCTAssertEqual(try ByteSize.bytes("1.5GiB"), 3 << 29)
        XCTAssertThrowsError(try ByteSize.bytes("256"))
        XCTAssertThrowsError(try ByteSize.bytes("MiB"))
        XCTAssertThrowsError(try ByteSize.bytes("5 parsecs"))
        XCTAssertEqual(ByteSize.format(256 << 20), "256 MiB")
        XCTAssertEqual(ByteSize.format(3 << 29), "1.5 GiB")
    }
}
