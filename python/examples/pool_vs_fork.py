"""The same JPype host forks twice: once through multiprocessing.Pool, once with a direct os.fork().

    FORKGUARD_AGENT_JAR=agent/target/forkguard-agent.jar PYTHONPATH=python \\
        /usr/bin/python3 -m forkguard python/examples/pool_vs_fork.py pool|fork

The children do Python work only and exit, so the reports say EXITED; what differs is what the
Python user reads: the code that forked and the Python threads that vanish.
"""
import multiprocessing
import os
import sys
import threading


def square(x):
    return x * x


def heartbeat(stop):
    while not stop.wait(0.5):
        pass


def main():
    how = sys.argv[1]
    import jpype
    jpype.startJVM(classpath=["/usr/share/java/org.jpype.jar"])
    executors = jpype.JClass("java.util.concurrent.Executors")
    pool = executors.newFixedThreadPool(2)
    stop = threading.Event()
    threading.Thread(target=heartbeat, args=(stop,), name="heartbeat", daemon=True).start()
    if how == "pool":
        with multiprocessing.get_context("fork").Pool(2) as workers:
            print("pool:", workers.map(square, range(4)), flush=True)
        # Pool.terminate() sends SIGTERM, which a forked JVM child ignores (no Signal Dispatcher thread).
        for p in multiprocessing.active_children():
            p.kill()
            p.join()
    else:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        print("forked and reaped", pid, flush=True)
    stop.set()
    pool.shutdown()


if __name__ == "__main__":
    main()
