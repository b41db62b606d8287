#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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

int cchaos_gettid(void) { return (int)syscall(SYS_gettid); }
