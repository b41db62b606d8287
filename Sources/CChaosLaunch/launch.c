#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include "CChaosLaunch.h"

static int blocked = 0;

// The test bundle (NAME.xctest) links this object too, as it links every target: there the
// test runner owns SIGINT/SIGTERM. Everywhere else this is chaosctl, under whatever name.
static int is_test_bundle(char **argv) {
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    const char *name = NULL;
    if (n > 0) {
        path[n] = '\0';
        name = path;
    } else if (argv != NULL && argv[0] != NULL) {
        name = argv[0];
    }
    if (name == NULL) return 0;
    size_t length = strlen(name), suffix = strlen(".xctest");
    return length >= suffix && strcmp(name + length - suffix, ".xctest") == 0;
}

static void block_interrupts_at_launch(int argc, char **argv, char **envp) {
    (void)argc;
    (void)envp;
    if (is_test_bundle(argv)) return;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    blocked = sigprocmask(SIG_BLOCK, &set, NULL) == 0;
}

// .preinit_array: the dynamic loader calls it once every library is mapped and relocated,
// before any library's constructor (the Swift runtime's, Foundation's) and before any thread
// exists, so every thread made later inherits the blocked mask. Only an executable may have
// one; chaosctl links this target for that.
__attribute__((section(".preinit_array"), used))
static void (*const block_at_launch)(int, char **, char **) = block_interrupts_at_launch;

int cchaos_launch_blocked_interrupts(void) { return blocked; }
