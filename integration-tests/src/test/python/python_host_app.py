"""A JPype host run with forkguard's Python package: a Python thread waits, a Java pool and a lock
holder run, and multiprocessing starts a child (forkguard's seed scenario, seen from Python).

Usage: python_host_app.py MODE LIBJVM CLASSPATH METHOD WAIT_SECONDS
MODE is "cli" (run under python3 -m forkguard, which gives the agent) or "install" (the script calls
forkguard.install() itself). METHOD is fork, spawn or forkserver. With fork, the child does Java
work (it hangs: the JVM's first GC in a forked child never completes); with spawn and forkserver the
child is a new Python process without a JVM and does Python work only.
"""
import multiprocessing
import sys
import threading
import time


def child_with_java():
    from dev.forkguard.it.app import HostWork
    HostWork.allocate(2_000_000)
    print("child: java work done", flush=True)


def child_python_only():
    print("child: python work done", sum(range(1000)), flush=True)


def wait_for_model(ready, release):
    ready.set()
    release.wait()


def launch_workers(method):
    ctx = multiprocessing.get_context(method)
    child = ctx.Process(target=child_with_java if method == "fork" else child_python_only)
    child.start()  # forkguard-it: the fork
    return child


def main():
    mode, libjvm, classpath, method, wait = sys.argv[1:6]
    if mode == "install":
        import forkguard
        forkguard.install()
    import jpype
    import jpype.imports
    # Debian's python3-jpype keeps its support jar in /usr/share/java; it must be on the class path.
    jpype.startJVM(libjvm, "-Xmx64m", classpath=[classpath, "/usr/share/java/org.jpype.jar"])
    from dev.forkguard.it.app import HostWork
    HostWork.start()
    ready, release = threading.Event(), threading.Event()
    loader = threading.Thread(target=wait_for_model, args=(ready, release), name="model-loader", daemon=True)
    loader.start()
    ready.wait()
    child = launch_workers(method)
    print("parent: started child", child.pid, "with", method, flush=True)
    child.join(float(wait))
    if child.is_alive():
        child.kill()  # SIGKILL: a hung JVM child ignores SIGTERM
        child.join()
        print("parent: child", child.pid, "still running after", wait, "s: killed", flush=True)
    else:
        print("parent: child", child.pid, "exit code", child.exitcode, flush=True)
    release.set()
    HostWork.stop()
    time.sleep(0.5)


if __name__ == "__main__":
    main()
