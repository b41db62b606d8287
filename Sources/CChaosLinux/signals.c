#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <unistd.h>
#include "CChaosSignals.h"

static atomic_int forward_fd = -1;

// Async-signal-safe: one write(2), errno preserved. A full pipe drops the byte, which loses
// nothing: a signal already waiting to be read ends the same way.
static void forward(int sig) {
    int saved = errno;
    int fd = atomic_load(&forward_fd);
    if (fd >= 0) {
        unsigned char byte = (unsigned char)sig;
        (void)write(fd, &byte, 1);
    }
    errno = saved;
}

void cchaos_signal_forward_to(int fd) { atomic_store(&forward_fd, fd); }

int cchaos_signal_forward(int sig) {
    struct sigaction action;
    action.sa_handler = forward;
    action.sa_flags = SA_RESTART;
    sigfillset(&action.sa_mask);
    return sigaction(sig, &action, NULL);
}

static void interrupts(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
}

int cchaos_mask_interrupts(int block) {
    sigset_t set;
    interrupts(&set);
    return pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int cchaos_interrupts_blocked(void) {
    sigset_t current;
    if (pthread_sigmask(SIG_BLOCK, NULL, &current) != 0) return 0;
    return sigismember(&current, SIGINT) == 1 || sigismember(&current, SIGTERM) == 1;
}

int cchaos_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cchaos_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
