/*
 * forkguard's own fork handlers. They decide in C, without entering Java, whether a fork needs the
 * agent's Java handlers at all:
 *  - in a forked child of the JVM (getpid() differs from the pid recorded at registration) they
 *    return at once: the child has no VM Thread, so a snapshot there could wait for a safepoint
 *    forever, and even entering Java through JNA allocates;
 *  - inside a JDK launch (ProcessImpl.start, counted per thread by the agent's advice through
 *    forkguard_launch_entered/left) they return at once: that child execs or exits without Java.
 * Otherwise they call the Java handlers (JNA callback function pointers).
 *
 * Rules: called by fork() between the C library's own locking, so nothing here allocates, locks or
 * calls anything but getpid(); the per-thread state is initial-exec TLS (a fixed offset from the
 * thread pointer: no __tls_get_addr, which may allocate on a thread's first access).
 */
#include <stdatomic.h>
#include <sys/types.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define THREAD_STATE static __thread __attribute__((tls_model("initial-exec")))

typedef void (*java_handler)(void);

/* Written once by forkguard_init, before the handlers are registered. */
static pid_t jvm_pid;
static java_handler java_prepare;
static java_handler java_parent;

/* How deep this thread is inside ProcessImpl.start. */
THREAD_STATE int launch_depth;
/* Whether this thread's last prepare called the Java prepare handler, so parent calls Java parent. */
THREAD_STATE int java_prepared;

/* Counts for tests and the status view; relaxed atomics, never a lock. */
static atomic_long java_forks;
static atomic_long launches_skipped;

EXPORT int forkguard_init(int pid, java_handler prepare, java_handler parent) {
    if (pid <= 0 || prepare == 0 || parent == 0) {
        return -1;
    }
    jvm_pid = (pid_t) pid;
    java_prepare = prepare;
    java_parent = parent;
    return 0;
}

EXPORT void forkguard_prepare(void) {
    java_prepared = 0;
    if (java_prepare == 0 || getpid() != jvm_pid) {
        return; /* a child of the JVM forking again: no Java, no safepoint */
    }
    if (launch_depth > 0) {
        atomic_fetch_add_explicit(&launches_skipped, 1, memory_order_relaxed);
        return; /* the JDK's own fork-then-exec */
    }
    java_prepared = 1;
    atomic_fetch_add_explicit(&java_forks, 1, memory_order_relaxed);
    java_prepare();
}

EXPORT void forkguard_parent(void) {
    if (!java_prepared) {
        return;
    }
    java_prepared = 0;
    java_parent();
}

EXPORT void forkguard_launch_entered(void) {
    launch_depth++;
}

EXPORT void forkguard_launch_left(void) {
    if (launch_depth > 0) {
        launch_depth--;
    }
}

EXPORT int forkguard_launch_depth(void) {
    return launch_depth;
}

EXPORT long forkguard_java_forks(void) {
    return atomic_load_explicit(&java_forks, memory_order_relaxed);
}

EXPORT long forkguard_launches_skipped(void) {
    return atomic_load_explicit(&launches_skipped, memory_order_relaxed);
}
