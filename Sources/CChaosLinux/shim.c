#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <errno.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include "CChaosLinux.h"

const unsigned int CCHAOS_SPLICE_F_MOVE = SPLICE_F_MOVE;
const unsigned int CCHAOS_SPLICE_F_NONBLOCK = SPLICE_F_NONBLOCK;
const unsigned int CCHAOS_SPLICE_F_MORE = SPLICE_F_MORE;
const int CCHAOS_CLONE_NEWNET = CLONE_NEWNET;

ssize_t cchaos_splice(int fd_in, int fd_out, size_t len, unsigned int flags) {
    return splice(fd_in, NULL, fd_out, NULL, len, flags);
}

int cchaos_pipe_nonblock(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }

int cchaos_set_pipe_size(int fd, int size) { return fcntl(fd, F_SETPIPE_SZ, size); }

int cchaos_setns(int fd, int nstype) { return setns(fd, nstype); }

int cchaos_accept_nonblock(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int cchaos_accept_nonblock_peer(int fd, void *address, unsigned int *length) {
    socklen_t size = *length;
    int client = accept4(fd, (struct sockaddr *)address, &size, SOCK_NONBLOCK | SOCK_CLOEXEC);
    *length = size;
    return client;
}

int cchaos_gettid(void) { return (int)syscall(SYS_gettid); }

int cchaos_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int cchaos_epoll_ctl(int epfd, int op, int fd, unsigned int events, unsigned long long data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

#define CCHAOS_EPOLL_BATCH 256
#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
static int cchaos_have_pwait2 = 1;

int cchaos_epoll_wait_ns(int epfd, unsigned long long *datas, unsigned int *events, int max, long long timeout_ns) {
    struct epoll_event evs[CCHAOS_EPOLL_BATCH];
    if (max > CCHAOS_EPOLL_BATCH) max = CCHAOS_EPOLL_BATCH;
    int n = -1;
    if (cchaos_have_pwait2) {
        struct timespec ts;
        ts.tv_sec = timeout_ns < 0 ? 0 : timeout_ns / 1000000000LL;
        ts.tv_nsec = timeout_ns < 0 ? 0 : timeout_ns % 1000000000LL;
        n = (int)syscall(SYS_epoll_pwait2, epfd, evs, max, timeout_ns < 0 ? NULL : &ts, NULL, 0);
        if (n < 0 && errno == ENOSYS) cchaos_have_pwait2 = 0;
    }
    if (!cchaos_have_pwait2) {
        int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999LL) / 1000000LL);
        n = epoll_wait(epfd, evs, max, ms);
    }
    for (int i = 0; i < n; i++) {
        datas[i] = evs[i].data.u64;
        events[i] = evs[i].events;
    }
    return n;
}

int cchaos_set_timer_slack_ns(unsigned long ns) { return prctl(PR_SET_TIMERSLACK, ns, 0, 0, 0); }

int cchaos_eventfd_nonblock(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int cchaos_enable_rx_timestamps(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
}

ssize_t cchaos_recv_stamped(int fd, void *buf, size_t len, unsigned long long *arrival_ns) {
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    union { char bytes[CMSG_SPACE(sizeof(struct timespec))]; struct cmsghdr align; } control;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.bytes;
    msg.msg_controllen = sizeof control.bytes;
    *arrival_ns = 0;
    ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n <= 0) return n;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
        struct timespec stamp;
        memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
        if (stamp.tv_sec == 0 && stamp.tv_nsec == 0) break;
        // The stamp is wall-clock time; carry its age over to the monotonic clock.
        struct timespec real, mono;
        clock_gettime(CLOCK_REALTIME, &real);
        clock_gettime(CLOCK_MONOTONIC, &mono);
        long long age = (long long)(real.tv_sec - stamp.tv_sec) * 1000000000LL + (real.tv_nsec - stamp.tv_nsec);
        unsigned long long mono_ns = (unsigned long long)mono.tv_sec * 1000000000ULL + (unsigned long long)mono.tv_nsec;
        if (age < 0) age = 0;
        if ((unsigned long long)age > mono_ns) age = (long long)mono_ns;
        *arrival_ns = mono_ns - (unsigned long long)age;
        break;
    }
    return n;
}

int cchaos_current_cpu(void) { return sched_getcpu(); }

static cpu_set_t cchaos_allowed_cpus;
static pthread_once_t cchaos_allowed_once = PTHREAD_ONCE_INIT;
static int cchaos_allowed_ok;
static void cchaos_capture_allowed(void) {
    cchaos_allowed_ok = sched_getaffinity(0, sizeof cchaos_allowed_cpus, &cchaos_allowed_cpus) == 0;
}

int cchaos_avoid_cpu(int cpu) {
    // The set captured at the first call is the process's own (threads start with it), so
    // avoiding one CPU never narrows a mask that a previous call already narrowed.
    pthread_once(&cchaos_allowed_once, cchaos_capture_allowed);
    if (!cchaos_allowed_ok) return -1;
    cpu_set_t set = cchaos_allowed_cpus;
    if (cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set) && CPU_COUNT(&set) > 1) CPU_CLR(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

int cchaos_wait_readable_ns(int fd, long long timeout_ns) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    struct timespec ts;
    ts.tv_sec = timeout_ns < 0 ? 0 : timeout_ns / 1000000000LL;
    ts.tv_nsec = timeout_ns < 0 ? 0 : timeout_ns % 1000000000LL;
    return ppoll(&p, 1, timeout_ns < 0 ? NULL : &ts, NULL);
}

int cchaos_allowed_cpu_count(void) {
    pthread_once(&cchaos_allowed_once, cchaos_capture_allowed);
    return cchaos_allowed_ok ? CPU_COUNT(&cchaos_allowed_cpus) : 1;
}
