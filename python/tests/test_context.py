import json
import sys
import threading

from forkguard import _context


def waits_here(ready, release):
    ready.set()
    release.wait(30)


def forking_function():
    return _context.decode(_context.collect(sys._getframe()))  # the line a fork would be on


def test_names_the_forking_code_and_every_other_thread_with_its_stack():
    ready, release = threading.Event(), threading.Event()
    t = threading.Thread(target=waits_here, args=(ready, release), name="model-loader", daemon=True)
    t.start()
    try:
        assert ready.wait(30)
        ctx = forking_function()
    finally:
        release.set()
        t.join(30)
    assert ctx["host"] == "python"
    assert ctx["version"] == ".".join(str(v) for v in sys.version_info[:3])
    assert ctx["forkedBy"] == "os.fork"
    newest = ctx["forkingThread"]["stack"][-1]
    assert newest["function"] == "forking_function"
    assert newest["file"] == __file__
    assert newest["code"] == "return _context.decode(_context.collect(sys._getframe()))  # the line a fork would be on"
    assert ctx["forkingThread"]["stack"][-2]["function"] == "test_names_the_forking_code_and_every_other_thread_with_its_stack"
    assert ctx["forkingThread"]["nativeId"] == threading.get_native_id()
    loader = [x for x in ctx["threads"] if x["name"] == "model-loader"]
    assert len(loader) == 1
    assert loader[0]["daemon"] is True
    assert loader[0]["nativeId"] == t.native_id
    functions = [f["function"] for f in loader[0]["stack"]]
    assert "waits_here" in functions
    assert functions[0] == "_bootstrap"  # oldest first, newest last
    assert all(x["nativeId"] != threading.get_native_id() for x in ctx["threads"])
    assert ctx["collectMicros"] >= 0


def test_a_fork_by_multiprocessing_says_so():
    assert _context.how_forked(["/srv/app.py", "/usr/lib/python3.11/multiprocessing/popen_fork.py"]) == \
        ("multiprocessing", "fork")
    assert _context.how_forked(["/srv/app.py"])[0] == "os.fork"


def test_the_runner_frames_of_python_m_forkguard_are_left_out():
    assert _context._runner_file("<frozen runpy>")
    assert _context._runner_file("/usr/lib/python3.11/runpy.py")
    assert _context._runner_file(_context._PACKAGE_DIR + "__main__.py")
    assert not _context._runner_file("/srv/app.py")


def test_the_text_lists_each_file_once():
    text = _context.collect(sys._getframe())
    raw = json.loads(text)
    assert len(raw["files"]) == len(set(raw["files"]))
    assert raw["forkingThread"]["frames"][-1][0] == raw["files"].index(__file__)


def test_deep_recursion_keeps_the_newest_frames():
    def down(n):
        return down(n - 1) if n else _context._Encoder().frames(sys._getframe())
    stack = down(200)
    assert len(stack) == _context.MAX_FRAMES
    assert stack[-1][2] == "down"


def test_a_fork_from_another_thread_lists_the_main_thread_as_vanishing():
    out = {}

    def worker_handler():
        out["ctx"] = forking_function()
    t = threading.Thread(target=worker_handler, name="Thread-1 (_handle_workers)")
    t.start()
    t.join(30)
    ctx = out["ctx"]
    assert ctx["forkingThread"]["name"] == "Thread-1 (_handle_workers)"
    assert [f["function"] for f in ctx["forkingThread"]["stack"]][-2:] == ["worker_handler", "forking_function"]
    main = [x for x in ctx["threads"] if x["name"] == "MainThread"]
    assert len(main) == 1 and main[0]["nativeId"] == threading.main_thread().native_id
    # The main thread waits in join(), called from this test.
    assert "test_a_fork_from_another_thread_lists_the_main_thread_as_vanishing" in \
        [f["function"] for f in main[0]["stack"]]
