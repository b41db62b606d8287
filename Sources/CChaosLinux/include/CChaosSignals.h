#ifndef CCHAOS_SIGNALS_H
#define CCHAOS_SIGNALS_H
// Signal forwarding and child-spawn helpers for ChaosCore's SignalRouter and ChildProcess.
#include <spawn.h>

/// Where the forwarding handler writes: one byte, the signal number, per delivery.
/// Set it before the first cchaos_signal_forward.
void cchaos_signal_forward_to(int fd);
/// Install the forwarding handler for `sig` (SA_RESTART, every signal blocked while it runs).
/// 0 on success, -1 with errno.
int cchaos_signal_forward(int sig);
/// Block (how = 1) or unblock (how = 0) SIGINT and SIGTERM in the calling thread. 0 on success.
int cchaos_mask_interrupts(int block);
/// Whether SIGINT or SIGTERM is blocked in the calling thread (1) or not (0).
int cchaos_interrupts_blocked(void);
/// posix_spawn_file_actions_addchdir_np (glibc declares it only under _GNU_SOURCE).
int cchaos_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+, _GNU_SOURCE): the child closes every
/// descriptor from `lowest` up, after the dup2 actions added before it.
int cchaos_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

#endif
