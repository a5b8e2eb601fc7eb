"""The before-fork hook: hands the Python view of each fork to the agent, before the fork.

Runs in the forking thread with the GIL held (os.register_at_fork(before=...)). It does nothing
without JPype or before the JVM starts, says once when the JVM runs without the agent, and never
lets an error reach the fork. Nothing is registered for the child: the child runs no forkguard code,
Python or Java.
"""
import sys

from . import _context

BRIDGE_CLASS = "dev.forkguard.bridge.HostForkContext"

_installed = False
_bridge = None
_bridge_missing = False
_warned = False


def _warn(message):
    # One plain line on stderr: Python's warnings machinery (and its filters) is left alone.
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except Exception:
        pass


def bridge():
    """The agent's HostForkContext class, or None: no JPype, no JVM yet, or a JVM without the agent."""
    global _bridge, _bridge_missing, _warned
    if _bridge is not None or _bridge_missing:
        return _bridge
    jpype = sys.modules.get("jpype")
    if jpype is None:
        return None
    try:
        if not jpype.isJVMStarted():
            return None
    except Exception:
        return None
    try:
        _bridge = jpype.JClass(BRIDGE_CLASS)
    except Exception:
        _bridge_missing = True
        if not _warned:
            _warned = True
            _warn("forkguard: the JVM in this process was started without the forkguard agent; forks are not "
                  "reported (run under 'python3 -m forkguard', or pass forkguard.javaagent_arg() to jpype.startJVM)")
    return _bridge


def before_fork():
    try:
        b = bridge()
        if b is None:
            return
        # Called from C: the frame below this one is the code that called os.fork().
        b.beforeFork(_context.collect(sys._getframe(1)))
    except Exception:
        pass  # the fork goes on, without a Python section in its report


def install():
    """Registers the hook once per process (it stays for the life of the interpreter)."""
    global _installed
    if _installed:
        return False
    import os
    os.register_at_fork(before=before_fork)
    _installed = True
    return True


def _reset_for_tests():
    global _bridge, _bridge_missing, _warned
    _bridge = None
    _bridge_missing = False
    _warned = False
