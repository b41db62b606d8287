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
/// gettid(2) of the calling thread.
int cchaos_gettid(void);

#endif
