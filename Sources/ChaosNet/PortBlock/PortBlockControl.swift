import CNftables
import ChaosCore
#if canImport(Glibc)
import Glibc
#endif

/// nf_tables in one network namespace, as a port block needs it: make chaosctl's table,
/// look one up, delete one by handle.
struct PortBlockControl {
    let target: NetTarget
    private let socket: NftablesSocket

    /// A table as the kernel has it now.
    struct LiveTable: Equatable {
        var handle: UInt64
        var userdata: [UInt8]
    }

    init(target: NetTarget) throws {
        self.target = target
        do { socket = try target.within { try NftablesSocket() } } catch let failure as NftablesFailure {
            throw NftablesErrors.explain(failure, doing: "open an nf_tables socket", target: target)
        }
    }

    func create(_ table: PortBlockTable, comment: String) throws {
        do {
            try socket.transaction { batch, socket in try table.appendCreate(to: batch, socket: socket, comment: comment) }
        } catch let failure as NftablesFailure {
            throw NftablesErrors.explain(failure, doing: "add nftables table \(table.name)", target: target)
        }
    }

    /// The table of that name in the inet family, or nil if there is none.
    func lookup(_ name: String) throws -> LiveTable? {
        let reply: [UInt8]?
        do {
            reply = try socket.get { buffer, sequence in
                let table = nftnl_table_alloc()!
                defer { nftnl_table_free(table) }
                nftnl_table_set_str(table, UInt16(NFTNL_TABLE_NAME.rawValue), name)
                let header = nftnl_nlmsg_build_hdr(buffer, UInt16(NFT_MSG_GETTABLE.rawValue), PortBlockTable.family,
                                                   UInt16(NLM_F_ACK), sequence)
                nftnl_table_nlmsg_build_payload(header, table)
                return header
            }
        } catch let failure as NftablesFailure {
            throw NftablesErrors.explain(failure, doing: "read nftables table \(name)", target: target)
        }
        guard var bytes = reply else { return nil }
        let table = nftnl_table_alloc()!
        defer { nftnl_table_free(table) }
        let parsed = bytes.withUnsafeMutableBytes {
            nftnl_table_nlmsg_parse($0.baseAddress!.assumingMemoryBound(to: nlmsghdr.self), table)
        }
        guard parsed >= 0 else { throw ChaosError("nftables: cannot parse the kernel's reply about table \(name)") }
        var length: UInt32 = 0
        var userdata: [UInt8] = []
        if let data = nftnl_table_get_data(table, UInt16(NFTNL_TABLE_USERDATA.rawValue), &length) {
            userdata = Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
        }
        return LiveTable(handle: nftnl_table_get_u64(table, UInt16(NFTNL_TABLE_HANDLE.rawValue)), userdata: userdata)
    }

    /// Delete the table with this handle; false if it was already gone.
    func delete(name: String, handle: UInt64) throws -> Bool {
        do {
            try socket.transaction { batch, socket in PortBlockTable.appendDelete(name: name, handle: handle, to: batch, socket: socket) }
            return true
        } catch let failure as NftablesFailure where failure.errno == ENOENT {
            return false
        } catch let failure as NftablesFailure {
            throw NftablesErrors.explain(failure, doing: "delete nftables table \(name)", target: target)
        }
    }
}
