"""What the fork hook hands over to the agent: the Python view of one fork, as JSON text.

Gathered in the forking thread, with the GIL held, just before fork(): the stack of the code that
forks and every other Python thread (threading name, daemon flag, native id, stack). The agent
stores the text as it is inside the fork and parses it after the fork (PythonHostParser), so the
format here and there must agree: docs/REPORT.md, section "The hand-over". Compact on purpose (each
file name once, frames as [file index, line, function]): with 100 threads, a frame a dict made
gathering and encoding about three times slower.
"""
import json
import linecache
import os
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


def _runner_file(name):
    """A file of python3 -m forkguard running the program (runpy, this package), not the program's."""
    return name.startswith("<frozen runpy>") or name.endswith(("/runpy.py", "\\runpy.py")) \
        or name.startswith(_PACKAGE_DIR)


class _Encoder:
    """Frames as [file index, line, function(, source line)], oldest first, each file name listed once."""

    def __init__(self):
        self.index = {}
        self.names = []

    def frames(self, frame, with_code=False):
        index, names = self.index, self.names
        out = []
        while frame is not None and len(out) < MAX_FRAMES:
            code = frame.f_code
            name = code.co_filename
            i = index.get(name)
            if i is None:
                i = index[name] = len(names)
                names.append(name)
            out.append([i, frame.f_lineno or 0, code.co_name])
            frame = frame.f_back
        out.reverse()
        # Without python3 -m forkguard's own outer frames: the program's stack, as python3 script.py has it.
        start = 0
        while start < len(out) - 1 and _runner_file(names[out[start][0]]):
            start += 1
        if start:
            del out[:start]
        if with_code:
            for f in out:
                # linecache reads a file once and keeps it: later forks pay a dictionary look-up.
                f.append(linecache.getline(names[f[0]], f[1]).strip())
        return out


def _thread_entry(thread, ident, frames):
    if thread is None:
        return {"name": "<thread %d not known to threading>" % ident, "nativeId": None, "daemon": False,
                "frames": frames}
    return {"name": thread.name, "nativeId": thread.native_id, "daemon": thread.daemon, "frames": frames}


def how_forked(files):
    """('multiprocessing', 'fork') when multiprocessing's fork start method forks, else ('os.fork', default)."""
    for name in files:
        if name.endswith(_POPEN_FORK):
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
    enc = _Encoder()
    forking = _thread_entry(known.get(me), me, enc.frames(forking_frame, with_code=True))
    # Only the forking stack's files are listed yet: did multiprocessing fork?
    forked_by, method = how_forked(enc.names)
    others = []
    for ident, frame in current.items():
        if ident != me:
            others.append(_thread_entry(known.get(ident), ident, enc.frames(frame)))
    for ident, thread in known.items():
        if ident != me and ident not in current:
            others.append(_thread_entry(thread, ident, []))  # started, not yet running Python code
    return json.dumps({
        "host": "python",
        "version": _VERSION,
        "implementation": _IMPLEMENTATION,
        "startMethod": method,
        "forkedBy": forked_by,
        "files": enc.names,
        "forkingThread": forking,
        "threads": others,
        "collectMicros": (time.perf_counter_ns() - started) // 1000,
    }, separators=(",", ":"))


def decode(text):
    """The hand-over read back with frames as dicts (file, line, function, code): for tests and tools."""
    ctx = json.loads(text)
    files = ctx.pop("files")

    def thread(t):
        t["stack"] = [dict(zip(("file", "line", "function", "code"), [files[f[0]]] + f[1:])) for f in t.pop("frames")]
        return t
    thread(ctx["forkingThread"])
    for t in ctx["threads"]:
        thread(t)
    return ctx
