#ifndef CCHAOS_LAUNCH_H
#define CCHAOS_LAUNCH_H
// Linked into chaosctl only: SIGINT and SIGTERM are blocked before any library initialiser runs,
// so a signal sent at any instant waits, pending, until SignalTrap.catchFromLaunch reads it.

/// 1 when the launch constructor blocked SIGINT/SIGTERM in the main thread.
int cchaos_launch_blocked_interrupts(void);

#endif
