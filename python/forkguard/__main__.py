"""python3 -m forkguard [--options key=value,...] (script.py | -m module) [args...]

Runs the program unchanged, as python3 would, with forkguard's agent given to any JVM it starts
(JAVA_TOOL_OPTIONS) and its fork hook installed, in the manner of python3 -m cProfile.
"""
import argparse
import os
import runpy
import sys

from . import install
from ._agent import AgentJarNotFound, agent_jar


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m forkguard",
        description="Run a Python program with forkguard watching every fork() of the JVM it hosts.",
        epilog="The agent jar comes from FORKGUARD_AGENT_JAR, else from the package itself.")
    p.add_argument("--options", metavar="key=value,...", default=None,
                   help="agent options, as for -javaagent:forkguard-agent.jar=key=value,... (docs/OPTIONS.md)")
    p.add_argument("-m", dest="module", action="store_true", help="run a library module as a script")
    p.add_argument("target", help="the script, or the module with -m")
    p.add_argument("args", nargs=argparse.REMAINDER, help="the program's own arguments")
    return p


def main(argv=None):
    ns = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        agent_jar()
    except AgentJarNotFound as e:
        sys.stderr.write(str(e) + "\n")
        return 2
    install(ns.options)
    sys.argv[:] = [ns.target] + ns.args
    if ns.module:
        runpy.run_module(ns.target, run_name="__main__", alter_sys=True)
    else:
        if not os.path.exists(ns.target):
            sys.stderr.write("forkguard: no such script: %s\n" % ns.target)
            return 2
        # As python3 script.py would: the script's directory first on the path.
        sys.path[0:0] = [os.path.dirname(os.path.abspath(ns.target))]
        runpy.run_path(ns.target, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
