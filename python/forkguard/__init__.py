"""forkguard for Python programs that host a JVM through JPype.

    python3 -m forkguard [--options key=value,...] script.py [args...]
    python3 -m forkguard [--options key=value,...] -m module [args...]

or, in code, before the JVM starts::

    import forkguard
    forkguard.install()            # the agent for the JVM JPype starts, and the fork hook
    jpype.startJVM(classpath=[...])

or pass the agent yourself and install only the hook::

    jpype.startJVM(forkguard.javaagent_arg("reportDir=/var/tmp/forkguard"), classpath=[...])
    forkguard.install(agent=False)

Each fork() of the process then reports, besides what the agent sees in Java, the Python code that
forked and every Python thread that will not exist in the child. See docs/HOSTS.md.
"""
import sys

from . import _hook
from ._agent import AgentJarNotFound, add_to_java_tool_options, agent_jar, javaagent_arg

__all__ = ["install", "javaagent_arg", "agent_jar", "AgentJarNotFound"]
__version__ = "0.1.0"


def _jvm_started():
    jpype = sys.modules.get("jpype")
    try:
        return jpype is not None and jpype.isJVMStarted()
    except Exception:
        return False


def install(options=None, agent=True):
    """Installs the fork hook and, with ``agent``, gives the agent to the JVM this process starts.

    ``options``: agent options, as 'key=value,...' text or a dict (docs/OPTIONS.md). With ``agent``
    and no JVM started yet, the agent goes into JAVA_TOOL_OPTIONS, which the JVM JPype starts reads
    (and so does any JVM a child process starts); raises AgentJarNotFound without a jar. With a JVM
    already running, it is too late to add the agent: if the JVM has none, one warning line says so.
    Calling it again does nothing more.
    """
    _hook.install()
    if not agent:
        return
    if _jvm_started():
        _hook.bridge()  # warns once when the running JVM has no agent
    else:
        add_to_java_tool_options(javaagent_arg(options))
