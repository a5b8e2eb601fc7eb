"""What the fork hook hands over to the agent: the Python view of one fork, as JSON text.

Gathered in the forking thread, with the GIL held, just before fork(): the stack of the code that
forks and every other Python thread (threading name, daemon flag, native id, stack). The agent
stores the text as it is inside the fork and parses it after the fork (PythonHostParser), so the
format here and there must agree: docs/REPORT.md, section "python".
"""
import json
import os
import linecache
import platform
import sys
import threading
import time

# Frames kept per stack, the newest; enough for any real call chain, bounded for recursion.
MAX_FRAMES = 64

_VERSION = platform.python_version()
_IMPLEMENTATION = platform.python_implementation()
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_POPEN_FORK = ("multiprocessing/popen_fork.py", "multiprocessing\\popen_fork.py")


def frames(frame, with_code=False):
    """The stack from ``frame`` outwards, newest last, as traceback prints it."""
    out = []
    while frame is not None and len(out) < MAX_FRAMES:
        code = frame.f_code
        entry = {"file": code.co_filename, "line": frame.f_lineno or 0, "function": code.co_name}
        if with_code:
            # linecache reads a file once and keeps it: later forks pay a dictionary look-up.
            line = linecache.getline(code.co_filename, entry["line"]).strip()
            if line:
                entry["code"] = line
        out.append(entry)
        frame = frame.f_back
    out.reverse()
    return out


def _thread_entry(thread, ident, frame, with_code=False):
    return {
        "name": thread.name if thread is not None else "<thread %d not known to threading>" % ident,
        "nativeId": getattr(thread, "native_id", None) if thread is not None else None,
        "daemon": bool(thread.daemon) if thread is not None else False,
        "stack": program_frames(frames(frame, with_code)) if frame is not None else [],
    }


def _runner_frame(entry):
    """A frame of python3 -m forkguard running the program (runpy, this package), not the program's."""
    f = entry["file"]
    return f.startswith("<frozen runpy>") or f.endswith(("/runpy.py", "\\runpy.py")) or f.startswith(_PACKAGE_DIR)


def program_frames(stack):
    """The stack without the outermost frames of 'python3 -m forkguard' itself, as python3 script.py shows it."""
    start = 0
    while start < len(stack) - 1 and _runner_frame(stack[start]):
        start += 1
    return stack[start:]


def _how_forked(stack):
    """('multiprocessing', 'fork') when multiprocessing's fork start method forks, else ('os.fork', default)."""
    for f in stack:
        if f["file"].endswith(_POPEN_FORK):
            return "multiprocessing", "fork"
    mp = sys.modules.get("multiprocessing")
    method = None
    if mp is not None:
        try:
            method = mp.get_start_method(allow_none=True)
        except Exception:
            method = None
    return "os.fork", method


def collect(forking_frame):
    """The JSON text for the agent; ``forking_frame`` is the frame of the code that calls os.fork()."""
    started = time.perf_counter_ns()
    current = sys._current_frames()
    me = threading.get_ident()
    known = {t.ident: t for t in threading.enumerate()}
    forking_stack = program_frames(frames(forking_frame, with_code=True))
    forked_by, method = _how_forked(forking_stack)
    forking = _thread_entry(known.get(me), me, None)
    forking["stack"] = forking_stack
    others = []
    for ident, frame in current.items():
        if ident != me:
            others.append(_thread_entry(known.get(ident), ident, frame))
    for ident, thread in known.items():
        if ident != me and ident not in current:
            others.append(_thread_entry(thread, ident, None))  # started, not yet running Python code
    context = {
        "host": "python",
        "version": _VERSION,
        "implementation": _IMPLEMENTATION,
        "startMethod": method,
        "forkedBy": forked_by,
        "forkingThread": forking,
        "threads": others,
    }
    context["collectMicros"] = (time.perf_counter_ns() - started) // 1000
    return json.dumps(context, separators=(",", ":"))
