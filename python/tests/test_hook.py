import json
import os
import sys
import types
import warnings

import pytest

from forkguard import _context, _hook


class Bridge:
    def __init__(self):
        self.texts = []

    def beforeFork(self, text):
        self.texts.append(text)


def fake_jpype(started=True, bridge=None):
    m = types.ModuleType("jpype")
    m.isJVMStarted = lambda: started

    def JClass(name):
        assert name == _hook.BRIDGE_CLASS
        if bridge is None:
            raise TypeError("Class dev.forkguard.bridge.HostForkContext is not found")
        return bridge
    m.JClass = JClass
    return m


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    _hook._reset_for_tests()
    monkeypatch.delitem(sys.modules, "jpype", raising=False)
    yield
    _hook._reset_for_tests()


def fork_and_reap():
    pid = os.fork()  # forked by fork_and_reap
    if pid == 0:
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_without_jpype_the_hook_does_nothing(capsys):
    assert _hook.bridge() is None
    _hook.before_fork()
    assert capsys.readouterr().err == ""


def test_before_the_jvm_starts_the_hook_does_nothing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "jpype", fake_jpype(started=False))
    assert _hook.bridge() is None
    assert capsys.readouterr().err == ""


def test_a_jvm_without_the_agent_gives_one_warning_line_and_python_warnings_are_untouched(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "jpype", fake_jpype(started=True, bridge=None))
    filters = list(warnings.filters)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            _hook.before_fork()
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("forkguard: the JVM in this process was started without the forkguard agent")
    assert caught == []
    assert warnings.filters == filters


def test_each_fork_hands_its_context_over_before_the_fork(monkeypatch):
    bridge = Bridge()
    monkeypatch.setitem(sys.modules, "jpype", fake_jpype(bridge=bridge))
    _hook.install()
    fork_and_reap()
    # The child's hand-over (if any) would be in the child's copy: the parent saw exactly its own.
    assert len(bridge.texts) == 1
    ctx = _context.decode(bridge.texts[0])
    assert ctx["forkingThread"]["stack"][-1]["function"] == "fork_and_reap"
    assert ctx["forkingThread"]["stack"][-1]["code"] == "pid = os.fork()  # forked by fork_and_reap"


def test_a_failing_hand_over_never_stops_the_fork(monkeypatch):
    class Broken:
        def beforeFork(self, text):
            raise RuntimeError("JVM is shutting down")
    monkeypatch.setitem(sys.modules, "jpype", fake_jpype(bridge=Broken()))
    _hook.install()
    fork_and_reap()


def test_install_registers_the_hook_once():
    _hook.install()
    assert _hook.install() is False
