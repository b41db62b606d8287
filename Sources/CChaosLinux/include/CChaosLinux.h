#ifndef CCHAOS_LINUX_H
#define CCHAOS_LINUX_H
// Linux calls that glibc only declares under _GNU_SOURCE. _GNU_SOURCE is
// defined in the .c file only, never here, so Swift sees plain prototypes.
#include <sys/types.h>
#include <stddef.h>

/// splice(2) between two descriptors, one of which must be a pipe.
ssize_t cchaos_splice(int fd_in, int fd_out, size_t len, unsigned int flags);
/// pipe2(2) with O_NONBLOCK|O_CLOEXEC.
int cchaos_pipe_nonblock(int fds[2]);
/// fcntl(F_SETPIPE_SZ); returns the new size or -1.
int cchaos_set_pipe_size(int fd, int size);
/// setns(2) into the namespace referred to by fd (nstype 0 = any).
int cchaos_setns(int fd, int nstype);
/// The SPLICE_F_* flags, exported because the macros need _GNU_SOURCE.
extern const unsigned int CCHAOS_SPLICE_F_MOVE;
extern const unsigned int CCHAOS_SPLICE_F_NONBLOCK;
extern const unsigned int CCHAOS_SPLICE_F_MORE;
extern const int CCHAOS_CLONE_NEWNET;
/// accept4(2) with SOCK_NONBLOCK|SOCK_CLOEXEC.
int cchaos_accept_nonblock(int fd);
/// The same, also writing the peer's address (at most `*length` bytes; `*length` becomes
/// its real size), which saves a getpeername(2) per connection.
int cchaos_accept_nonblock_peer(int fd, void *address, unsigned int *length);
/// gettid(2) of the calling thread.
int cchaos_gettid(void);

/// epoll_create1(EPOLL_CLOEXEC).
int cchaos_epoll_create(void);
/// epoll_ctl(2) without the packed `struct epoll_event` crossing into Swift.
int cchaos_epoll_ctl(int epfd, int op, int fd, unsigned int events, unsigned long long data);
/// epoll_pwait2(2) with a nanosecond timeout (timeout_ns < 0 = wait forever); falls back to
/// epoll_wait with the timeout rounded up to whole ms on kernels without epoll_pwait2.
/// Fills `datas`/`events` with up to `max` ready entries and returns their count, or -1.
int cchaos_epoll_wait_ns(int epfd, unsigned long long *datas, unsigned int *events, int max, long long timeout_ns);
/// prctl(PR_SET_TIMERSLACK): how late the kernel may fire this thread's timers, in ns.
int cchaos_set_timer_slack_ns(unsigned long ns);

/// The CPU the calling thread runs on now (sched_getcpu), or -1.
int cchaos_current_cpu(void);
/// Let the calling thread run on every CPU the process may use except `cpu` (unchanged
/// when no other CPU is left). 0 on success.
int cchaos_avoid_cpu(int cpu);
/// How many CPUs the process may run on (its affinity mask, as first seen).
int cchaos_allowed_cpu_count(void);
/// Wait until `fd` is readable or `timeout_ns` passed (< 0: no limit): ppoll's result.
int cchaos_wait_readable_ns(int fd, long long timeout_ns);
/// eventfd(2) with EFD_NONBLOCK|EFD_CLOEXEC, counter starting at 0.
int cchaos_eventfd_nonblock(void);
/// setsockopt(SO_TIMESTAMPNS): the kernel stamps each received segment with its arrival time.
int cchaos_enable_rx_timestamps(int fd);
/// recvmsg(2) (non-blocking) that also returns when the bytes reached the socket, on the
/// monotonic clock, in `*arrival_ns` (0 when the kernel gave no stamp).
ssize_t cchaos_recv_stamped(int fd, void *buf, size_t len, unsigned long long *arrival_ns);

#include "CChaosSignals.h"

#endif
