import CNftables
import ChaosCore
import Foundation

/// chaosctl's nftables table for one port-block fault: `inet chaosctl_block_<record id>`
/// with one base chain and one rule, and a comment (table userdata, as `nft` writes a
/// table's comment) naming the fault, so a revert can tell its own table from anyone
/// else's. Built with libnftnl and sent in one transaction: all of it or nothing.
public struct PortBlockTable: Equatable, Sendable {
    public var name: String
    public var spec: PortBlockSpec

    /// Every chaosctl port-block table starts so (`nft list tables` shows whose it is).
    public static let namePrefix = "chaosctl_block_"
    static let chainName = "block"
    /// The userdata TLV type nft uses for a table's comment.
    static let commentType = UInt8(NFTNL_UDATA_TABLE_COMMENT.rawValue)
    static let family = UInt16(NFPROTO_INET)

    public init(recordID: String, spec: PortBlockSpec) {
        // nft's grammar takes letters, digits and underscores in a name; ids carry a dash.
        name = Self.namePrefix + recordID.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        self.spec = spec
    }

    public init(name: String, spec: PortBlockSpec) {
        self.name = name
        self.spec = spec
    }

    /// The table's comment: whose it is and which record.
    public static func comment(recordID: String) -> String { "chaosctl block fault \(recordID)" }

    /// The comment as the kernel stores it (a userdata TLV), for comparing with what is there.
    static func userdata(comment: String) -> [UInt8] {
        guard let buf = nftnl_udata_buf_alloc(UInt32(NFT_USERDATA_MAXLEN)) else { return [] }
        defer { nftnl_udata_buf_free(buf) }
        _ = nftnl_udata_put_strz(buf, commentType, comment)
        return Array(UnsafeRawBufferPointer(start: nftnl_udata_buf_data(buf), count: Int(nftnl_udata_buf_len(buf))))
    }

    /// What `nft list table` would print, for dry runs and docs.
    public func listing(comment: String) -> String {
        """
        table inet \(name) {
            comment "\(comment)"
            chain \(Self.chainName) {
                type filter hook \(spec.hook) priority filter; policy accept;
                \(spec.rule)
            }
        }
        """
    }

    // MARK: messages

    /// Append NEWTABLE, NEWCHAIN and NEWRULE to `batch`. The table is created exclusively:
    /// a name already taken is refused, never joined.
    func appendCreate(to batch: OpaquePointer, socket: NftablesSocket, comment: String) throws -> [String] {
        let table = nftnl_table_alloc()!
        defer { nftnl_table_free(table) }
        nftnl_table_set_str(table, UInt16(NFTNL_TABLE_NAME.rawValue), name)
        nftnl_table_set_u32(table, UInt16(NFTNL_TABLE_FAMILY.rawValue), UInt32(Self.family))
        var data = Self.userdata(comment: comment)
        nftnl_table_set_data(table, UInt16(NFTNL_TABLE_USERDATA.rawValue), &data, UInt32(data.count))
        let flags = UInt16(NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK)
        nftnl_table_nlmsg_build_payload(header(batch, NFT_MSG_NEWTABLE, flags, socket), table)
        mnl_nlmsg_batch_next(batch)

        let chain = nftnl_chain_alloc()!
        defer { nftnl_chain_free(chain) }
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_TABLE.rawValue), name)
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_NAME.rawValue), Self.chainName)
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_TYPE.rawValue), "filter")
        let hook = spec.direction == .egress ? NF_INET_LOCAL_OUT : NF_INET_LOCAL_IN
        nftnl_chain_set_u32(chain, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue), UInt32(hook.rawValue))
        nftnl_chain_set_s32(chain, UInt16(NFTNL_CHAIN_PRIO.rawValue), 0)
        nftnl_chain_nlmsg_build_payload(header(batch, NFT_MSG_NEWCHAIN, flags, socket), chain)
        mnl_nlmsg_batch_next(batch)

        let rule = try makeRule()
        defer { nftnl_rule_free(rule) }
        nftnl_rule_nlmsg_build_payload(header(batch, NFT_MSG_NEWRULE, UInt16(NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK), socket), rule)
        mnl_nlmsg_batch_next(batch)
        return ["table", "chain", "rule"]
    }

    /// Append DELTABLE for the table with `handle` (by handle, so a table of the same name
    /// made since is not the one deleted).
    static func appendDelete(name: String, handle: UInt64, to batch: OpaquePointer, socket: NftablesSocket) -> [String] {
        let table = nftnl_table_alloc()!
        defer { nftnl_table_free(table) }
        nftnl_table_set_u32(table, UInt16(NFTNL_TABLE_FAMILY.rawValue), UInt32(family))
        nftnl_table_set_u64(table, UInt16(NFTNL_TABLE_HANDLE.rawValue), handle)
        nftnl_table_nlmsg_build_payload(header(batch, NFT_MSG_DELTABLE, UInt16(NLM_F_ACK), socket), table)
        mnl_nlmsg_batch_next(batch)
        return ["table \(name)"]
    }

    private func header(_ batch: OpaquePointer, _ type: nf_tables_msg_types, _ flags: UInt16, _ socket: NftablesSocket)
        -> UnsafeMutablePointer<nlmsghdr> {
        Self.header(batch, type, flags, socket)
    }

    private static func header(_ batch: OpaquePointer, _ type: nf_tables_msg_types, _ flags: UInt16, _ socket: NftablesSocket)
        -> UnsafeMutablePointer<nlmsghdr> {
        nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch).assumingMemoryBound(to: CChar.self), UInt16(type.rawValue),
                              family, flags, socket.nextSequence())
    }

    /// `meta l4proto P  P dport PORT  counter  drop | reject`, as nft compiles it.
    private func makeRule() throws -> OpaquePointer {
        let rule = nftnl_rule_alloc()!
        nftnl_rule_set_u32(rule, UInt16(NFTNL_RULE_FAMILY.rawValue), UInt32(Self.family))
        nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_TABLE.rawValue), name)
        nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_CHAIN.rawValue), Self.chainName)
        let register = UInt32(NFT_REG_1.rawValue)
        func add(_ kind: String, _ set: (OpaquePointer) -> Void) {
            let expr = nftnl_expr_alloc(kind)!
            set(expr)
            nftnl_rule_add_expr(rule, expr)   // the rule owns it from here
        }
        func compare(_ bytes: [UInt8]) {
            add("cmp") { e in
                nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_CMP_SREG), register)
                nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_CMP_OP), UInt32(NFT_CMP_EQ.rawValue))
                _ = bytes.withUnsafeBytes { nftnl_expr_set(e, UInt16(NFTNL_EXPR_CMP_DATA), $0.baseAddress, UInt32($0.count)) }
            }
        }
        add("meta") { e in
            nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_META_KEY), UInt32(NFT_META_L4PROTO.rawValue))
            nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_META_DREG), register)
        }
        compare([spec.transport.number])
        // The destination port: two bytes at offset 2 of the TCP and the UDP header alike.
        add("payload") { e in
            nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_PAYLOAD_BASE), UInt32(NFT_PAYLOAD_TRANSPORT_HEADER.rawValue))
            nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_PAYLOAD_OFFSET), 2)
            nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_PAYLOAD_LEN), 2)
            nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_PAYLOAD_DREG), register)
        }
        compare([UInt8(spec.port >> 8), UInt8(spec.port & 0xff)])
        add("counter") { _ in }
        switch spec.verdict {
        case .drop:
            add("immediate") { e in
                nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_IMM_DREG), UInt32(NFT_REG_VERDICT.rawValue))
                nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_IMM_VERDICT), UInt32(NF_DROP))
            }
        case .reject:
            add("reject") { e in
                if spec.transport == .tcp {
                    nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_REJECT_TYPE), UInt32(NFT_REJECT_TCP_RST.rawValue))
                } else {
                    nftnl_expr_set_u32(e, UInt16(NFTNL_EXPR_REJECT_TYPE), UInt32(NFT_REJECT_ICMPX_UNREACH.rawValue))
                    nftnl_expr_set_u8(e, UInt16(NFTNL_EXPR_REJECT_CODE), UInt8(NFT_REJECT_ICMPX_PORT_UNREACH.rawValue))
                }
            }
        }
        return rule
    }
}
