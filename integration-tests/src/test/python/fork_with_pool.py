"""A Python program hosting a JVM through JPype forks with multiprocessing (forkguard's seed scenario).

Usage: fork_with_pool.py LIBJVM AGENT_ARG CLASSPATH METHOD WAIT_SECONDS
METHOD is fork, spawn or forkserver. With fork, the child uses Java; with spawn and forkserver the
child is a new Python process without a JVM and does Python work only.
"""
import multiprocessing
import sys
import time


def child_with_java():
    from dev.forkguard.it.app import HostWork
    # Real work in Java allocates; in a forked JVM the first GC never completes.
    HostWork.allocate(2_000_000)
    print("child: java work done", flush=True)


def child_python_only():
    print("child: python work done", sum(range(1000)), flush=True)


def main():
    libjvm, agent_arg, classpath, method, wait = sys.argv[1:6]
    import jpype
    import jpype.imports
    # Debian's python3-jpype keeps its support jar in /usr/share/java; it must be on the class path.
    jpype.startJVM(libjvm, agent_arg, "-Xmx64m", classpath=[classpath, "/usr/share/java/org.jpype.jar"])
    from dev.forkguard.it.app import HostWork
    HostWork.start()
    ctx = multiprocessing.get_context(method)
    child = ctx.Process(target=child_with_java if method == "fork" else child_python_only)
    child.start()
    print("parent: started child", child.pid, "with", method, flush=True)
    child.join(float(wait))
    if child.is_alive():
        child.kill()  # SIGKILL: a hung JVM child ignores SIGTERM
        child.join()
        print("parent: child", child.pid, "still running after", wait, "s: killed", flush=True)
    else:
        print("parent: child", child.pid, "exit code", child.exitcode, flush=True)
    HostWork.stop()
    time.sleep(0.5)


if __name__ == "__main__":
    main()
