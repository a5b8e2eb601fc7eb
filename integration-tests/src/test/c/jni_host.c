/*
 * A C program that hosts a JVM over JNI (JNI_CreateJavaVM, with forkguard as -javaagent), starts Java
 * threads, and forks from C. The child then uses Java, as real host code would, and hangs.
 * Usage: jni_host -javaagent:AGENT -Djava.class.path=CP WAIT_SECONDS [THREAD_FORKS]
 * With THREAD_FORKS, first that many forks are made, one each from a new thread the JVM does not know;
 * each of their children exits at once with code 7.
 */
#include <jni.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(JNIEnv *env, const char *what) {
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionDescribe(env);
    }
    fprintf(stderr, "host: %s failed\n", what);
    return 2;
}

/* A function of its own, so the report can name the native caller of fork(); the test links with
 * -rdynamic, which puts it in the dynamic symbol table where dladdr finds it. */
__attribute__((noinline)) pid_t fork_worker_process(void) {
    pid_t pid = fork();
    __asm__ volatile("" ::: "memory"); /* no tail call: keep this frame on the stack */
    return pid;
}

/* A thread the JVM does not know forks; its child exits at once. */
static void *fork_from_unknown_thread(void *unused) {
    (void) unused;
    pid_t pid = fork();
    if (pid == 0) {
        _exit(7);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("host: thread fork child %d ended, status %d\n", (int) pid, status);
    fflush(stdout);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s -javaagent:AGENT -Djava.class.path=CP WAIT_SECONDS\n", argv[0]);
        return 2;
    }
    JavaVMOption options[3];
    options[0].optionString = argv[1];
    options[1].optionString = argv[2];
    options[2].optionString = "-Xmx64m";
    JavaVMInitArgs init = {JNI_VERSION_10, 3, options, JNI_FALSE};
    JavaVM *jvm;
    JNIEnv *env;
    if (JNI_CreateJavaVM(&jvm, (void **) &env, &init) != JNI_OK) {
        fprintf(stderr, "host: cannot create the JVM\n");
        return 2;
    }
    jclass work = (*env)->FindClass(env, "dev/forkguard/it/app/HostWork");
    if (work == NULL) return fail(env, "FindClass HostWork");
    jmethodID start = (*env)->GetStaticMethodID(env, work, "start", "()V");
    jmethodID allocate = (*env)->GetStaticMethodID(env, work, "allocate", "(I)J");
    jmethodID stop = (*env)->GetStaticMethodID(env, work, "stop", "()V");
    if (start == NULL || allocate == NULL || stop == NULL) return fail(env, "GetStaticMethodID");
    (*env)->CallStaticVoidMethod(env, work, start);
    if ((*env)->ExceptionCheck(env)) return fail(env, "HostWork.start");

    int thread_forks = argc > 4 ? atoi(argv[4]) : 0;
    for (int i = 0; i < thread_forks; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, fork_from_unknown_thread, NULL) != 0) return fail(env, "pthread_create");
        pthread_join(t, NULL);
    }

    pid_t child = fork_worker_process();
    if (child == 0) {
        /* The child: Java work, which allocates; without the VM Thread its first GC never ends. */
        (*env)->CallStaticLongMethod(env, work, allocate, 2000000);
        _exit(0);
    }
    printf("host: forked child %d from C\n", (int) child);
    fflush(stdout);
    int wait_seconds = atoi(argv[3]);
    int status = 0;
    int ended = 0;
    for (int i = 0; i < wait_seconds * 50 && !ended; i++) {
        if (waitpid(child, &status, WNOHANG) == child) {
            ended = 1;
        } else {
            usleep(20000);
        }
    }
    if (ended) {
        printf("host: child %d ended, status %d\n", (int) child, status);
    } else {
        kill(child, SIGKILL); /* a hung JVM child ignores SIGTERM */
        waitpid(child, &status, 0);
        printf("host: child %d still running after %d s: killed\n", (int) child, wait_seconds);
    }
    fflush(stdout);
    (*env)->CallStaticVoidMethod(env, work, stop);
    (*jvm)->DestroyJavaVM(jvm);
    return 0;
}
