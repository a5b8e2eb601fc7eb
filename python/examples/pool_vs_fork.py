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
import time


def square(x):
    return x * x


def end_pool(workers):
    """Ends a fork-context pool of a JVM host without ever waiting for ever.

    Not `with Pool(...)`: leaving the block calls terminate(), which sends SIGTERM, which a forked JVM
    child ignores (its Signal Dispatcher thread is gone), then waits for the worker. close() instead
    lets each worker take its end-of-work sentinel and exit; one still there after 5 s gets SIGKILL.
    join() then waits only for processes that have ended and the pool's own threads.
    """
    workers.close()
    deadline = time.monotonic() + 5
    for p in multiprocessing.active_children():
        p.join(max(0.0, deadline - time.monotonic()))
    for p in multiprocessing.active_children():
        print("pool: worker", p.pid, "still there after 5 s: SIGKILL", flush=True)
        p.kill()
        p.join()
    workers.join()
    print("pool: workers ended", flush=True)


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
        workers = multiprocessing.get_context("fork").Pool(2)
        try:
            print("pool:", workers.map(square, range(4)), flush=True)
        finally:
            end_pool(workers)
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
