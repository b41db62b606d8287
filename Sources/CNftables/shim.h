#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
/* glibc first: linux/libc-compat.h then leaves in_addr & co. to glibc, so the two do not clash. */
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
