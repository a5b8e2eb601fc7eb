"""A JPype program (a JVM in the Python process) that runs process pools with the fork start method.

Usage: pool_hosts.py LIBJVM AGENT_ARG CLASSPATH MODE
MODE:
  pool-idle      multiprocessing.Pool(3) of pure-Python workers: work, sit idle for IDLE_SECONDS waiting
                 for tasks, work again; prints whether the same workers are alive throughout. Before the
                 pool, interrupts the agent's threads, as an application that interrupts threads it does
                 not own would (JPype's shutdown interrupts each non-daemon thread): no report may lose
                 data for it.
  executor-java  concurrent.futures.ProcessPoolExecutor(1) whose task does Java work (the worker hangs
                 at its first GC); prints what the caller gets.
  pool-java      multiprocessing.Pool(1) whose task does Java work; prints what happens to the task and
                 the worker.
Every worker still alive at the end is killed with SIGKILL (a hung JVM child ignores SIGTERM).
"""
import concurrent.futures
import multiprocessing
import os
import signal
import sys
import time

IDLE_SECONDS = 9


def square(x):
    return x * x


def java_work(n):
    from dev.forkguard.it.app import HostWork
    # Real work in Java allocates; in a forked JVM the first GC never completes.
    return HostWork.allocate(n)


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def interrupt_agent_threads():
    import jpype
    names = []
    for t in jpype.JClass("java.lang.Thread").getAllStackTraces().keySet():
        if str(t.getName()).startswith("forkguard-"):
            t.interrupt()
            names.append(str(t.getName()))
    print("interrupted", sorted(names), flush=True)


def pool_idle():
    interrupt_agent_threads()
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(3)
    before = sorted(p.pid for p in pool._pool)
    print("pool: workers", before, "squares", sum(pool.map(square, range(100))), flush=True)
    time.sleep(IDLE_SECONDS)
    after = sorted(p.pid for p in pool._pool if p.exitcode is None)
    print("pool: after", IDLE_SECONDS, "s idle, workers", after, "squares", sum(pool.map(square, range(100))),
          flush=True)
    print("pool: same workers alive:", before == after, flush=True)
    pool.close()
    pool.join()


def executor_java():
    ctx = multiprocessing.get_context("fork")
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    start = time.monotonic()
    future = executor.submit(java_work, 2_000_000)
    workers = list(executor._processes.keys())
    try:
        print("executor: result", future.result(timeout=60), flush=True)
    except concurrent.futures.process.BrokenProcessPool as e:
        print("executor: BrokenProcessPool after %.1f s: %s" % (time.monotonic() - start, e), flush=True)
    except concurrent.futures.TimeoutError:
        print("executor: no result after 60 s (the worker hangs)", flush=True)
    kill_all(workers)
    executor.shutdown(wait=False, cancel_futures=True)


def pool_java():
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(1)
    before = [p.pid for p in pool._pool]
    start = time.monotonic()
    result = pool.apply_async(java_work, (2_000_000,))
    try:
        print("pool: result", result.get(timeout=20), flush=True)
    except multiprocessing.TimeoutError:
        print("pool: no result after %.1f s" % (time.monotonic() - start), flush=True)
    after = [p.pid for p in pool._pool]
    print("pool: worker before", before, "after", after, "replaced:", before != after, flush=True)
    # Only the first worker: an idle replacement holds the pool's queue lock, which terminate() takes.
    kill_all(before)
    pool.terminate()


def main():
    libjvm, agent_arg, classpath, mode = sys.argv[1:5]
    import jpype
    import jpype.imports
    # Debian's python3-jpype keeps its support jar in /usr/share/java; it must be on the class path.
    jpype.startJVM(libjvm, agent_arg, "-Xmx64m", classpath=[classpath, "/usr/share/java/org.jpype.jar"])
    from dev.forkguard.it.app import HostWork
    HostWork.start()
    {"pool-idle": pool_idle, "executor-java": executor_java, "pool-java": pool_java}[mode]()
    HostWork.stop()
    time.sleep(0.5)
    print("main: done", flush=True)
    # os._exit: a Pool's or executor's leftover helper threads must not hold the interpreter's exit.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
