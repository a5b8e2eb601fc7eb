"""What forkguard's Python hook costs a fork: the hand-over, with 10 and 100 Python threads.

    /usr/bin/python3 python/benchmarks/handover.py [--doc docs/PERFORMANCE.md] [--agent JAR] [--libjvm SO]

Starts a JVM through JPype with the agent (watchdog off), starts N Python threads parked a few calls
deep, and measures side by side in one process: gathering the context alone, the whole hand-over
(gathering plus the JPype call into the agent's bridge), its size, and os.fork() (child _exit()s at
once) with the hook handing over and with it idle, alternating. Medians. A benchmark, not a test:
nothing is asserted (PythonHostIT runs it with tiny counts so it keeps working). With --doc it writes its section into that file (benchmarks/run.sh does so
after the Java benchmarks); --render JSON writes the section from saved results without measuring.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))

import forkguard  # noqa: E402
from forkguard import _context, _hook  # noqa: E402

SECTION = "## Python hand-over"
THREAD_COUNTS = (10, 100)
STACK_DEPTH = 8
FORK_SPACING = 0.25


def parked(depth, ready, release):
    if depth:
        return parked(depth - 1, ready, release)
    ready.release()
    release.wait()


def timed_us(fn, rounds):
    """(median, fastest) of ``rounds`` calls, µs."""
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - t0)
    return statistics.median(samples) / 1000, min(samples) / 1000


_hook_marks = {"start": 0, "end": 0}


def _mark_start():
    _hook_marks["start"] = time.perf_counter_ns()


def _mark_end():
    _hook_marks["end"] = time.perf_counter_ns()


def fork_once():
    t0 = time.perf_counter_ns()
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    took = time.perf_counter_ns() - t0
    os.waitpid(pid, 0)
    return took


def measure(n, rounds, forks):
    ready, release = threading.Semaphore(0), threading.Event()
    threads = [threading.Thread(target=parked, args=(STACK_DEPTH, ready, release), name="bench-%d" % i, daemon=True)
               for i in range(n)]
    for t in threads:
        t.start()
    for _ in threads:
        ready.acquire()
    try:
        frame = sys._getframe()
        for _ in range(50):  # warm-up: linecache, JPype's method resolution
            _hook.before_fork()
        collect = timed_us(lambda: _context.collect(frame), rounds)
        handover = timed_us(_hook.before_fork, rounds)
        size = len(_context.collect(frame))
        real_bridge = _hook._bridge
        on, off, in_fork = [], [], []
        for i in range(forks * 2):
            hooked = i % 2 == 0
            _hook._bridge = real_bridge if hooked else None
            _hook._bridge_missing = not hooked  # bridge() then returns None: the hook does nothing
            (on if hooked else off).append(fork_once())
            if hooked:
                in_fork.append(_hook_marks["end"] - _hook_marks["start"])
            time.sleep(FORK_SPACING)  # the agent's reporter handles the fork meanwhile
        _hook._bridge, _hook._bridge_missing = real_bridge, False
        return {"threads": n, "collectMicros": collect[0], "collectFastestMicros": collect[1],
                "handOverMicros": handover[0], "handOverFastestMicros": handover[1], "bytes": size,
                "handOverInForkMicros": statistics.median(in_fork) / 1000,
                "forkWithHookMicros": statistics.median(on) / 1000, "forkHookIdleMicros": statistics.median(off) / 1000,
                "forks": forks}
    finally:
        release.set()
        for t in threads:
            t.join()


def render(results):
    r0 = results["runs"][0]
    lines = [SECTION, "",
             "What forkguard's Python hook adds to each fork of a Python program hosting a JVM: it gathers the "
             "Python view (the forking code, every other thread's stack) and hands it to the agent, before the "
             "fork, in the forking thread. `python/benchmarks/handover.py` measures it in one process, side by "
             "side (threads parked %d calls deep; %s %s, JPype %s, %s; run %s, load average %s before):" % (
                 STACK_DEPTH, results["implementation"], results["python"], results["jpype"], results["java"],
                 results["when"], results.get("load", "?")),
             "",
             "| Python threads | gathering, no fork: median (fastest) | hand-over, no fork: median (fastest) "
             "| hand-over in a real fork | text | os.fork() with the hook | os.fork(), hook idle | ratio |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results["runs"]:
        lines.append("| %d | %.0f µs (%.0f) | %.0f µs (%.0f) | %.2f ms | %.1f KB | %.2f ms | %.2f ms | %.2fx |" % (
            r["threads"], r["collectMicros"], r["collectFastestMicros"], r["handOverMicros"],
            r["handOverFastestMicros"], r["handOverInForkMicros"] / 1000, r["bytes"] / 1024.0,
            r["forkWithHookMicros"] / 1000, r["forkHookIdleMicros"] / 1000,
            r["forkWithHookMicros"] / r["forkHookIdleMicros"]))
    lines += ["",
              "Gathering (Python only) and hand-over (gathering, encoding and the JPype call): %d calls each, "
              "in a loop without forks. Timed inside real forks (between two other before-fork hooks) it costs "
              "more; likely the cause DESIGN.md measured for the agent's first thread dump after a fork (each "
              "page first written after a fork faults), not profiled here. The fork columns: "
              "os.fork() as the program sees it, before-fork hooks included, medians of %d forks each, "
              "alternating with and without the hand-over, %d ms apart, the child _exit()s at once, the agent's "
              "snapshot in both. Inside the fork the agent only takes the text; it parses it after, on its "
              "reporter thread. The first hand-over of a process also reads the forking code's source files "
              "(linecache), not counted here." % (results.get("rounds", 0), r0["forks"], FORK_SPACING * 1000),
              ""]
    return "\n".join(lines)


def write_section(doc, text):
    with open(doc, encoding="utf-8") as f:
        content = f.read()
    start = content.find(SECTION + "\n")
    if start >= 0:
        end = content.find("\n## ", start + len(SECTION))
        content = content[:start] + text + (content[end + 1:] if end >= 0 else "")
    else:
        marker = content.find("\n## Why targets are missed")
        content = (content[:marker + 1] + text + "\n" + content[marker + 1:]) if marker >= 0 \
            else content.rstrip("\n") + "\n\n" + text
    with open(doc, "w", encoding="utf-8") as f:
        f.write(content)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--agent", default=os.path.join(REPO, "agent/target/forkguard-agent.jar"))
    p.add_argument("--libjvm", default="/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so")
    p.add_argument("--doc")
    p.add_argument("--results", default=os.path.join(REPO, "benchmarks/target/python-handover.json"))
    p.add_argument("--render", metavar="JSON", help="write the section from saved results, measuring nothing")
    p.add_argument("--rounds", type=int, default=300)
    p.add_argument("--forks", type=int, default=30)
    a = p.parse_args()
    if a.render:
        with open(a.render, encoding="utf-8") as f:
            results = json.load(f)
    else:
        os.environ.setdefault("FORKGUARD_AGENT_JAR", a.agent)
        import jpype
        jpype.startJVM(a.libjvm, forkguard.javaagent_arg("watchdog=0,logLevel=warn"),
                       classpath=["/usr/share/java/org.jpype.jar"])
        # Before-fork hooks run last registered first: start mark, forkguard's hook, end mark.
        os.register_at_fork(before=_mark_end)
        forkguard.install(agent=False)
        os.register_at_fork(before=_mark_start)
        assert _hook.bridge() is not None, "the JVM has no forkguard agent"
        system = jpype.JClass("java.lang.System")
        results = {"rounds": a.rounds, "load": " / ".join("%.2f" % x for x in os.getloadavg()),
                   "python": platform.python_version(), "implementation": platform.python_implementation(),
                   "jpype": jpype.__version__, "java": "Java " + str(system.getProperty("java.version")),
                   "when": time.strftime("%Y-%m-%d", time.gmtime()),
                   "runs": [measure(n, a.rounds, a.forks) for n in THREAD_COUNTS]}
        os.makedirs(os.path.dirname(a.results), exist_ok=True)
        with open(a.results, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    text = render(results)
    print(text)
    if a.doc:
        write_section(a.doc, text)


if __name__ == "__main__":
    main()
