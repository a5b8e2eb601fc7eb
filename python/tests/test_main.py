import os
import subprocess
import sys
import textwrap

import pytest

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, cwd, jar=None, extra_path=None):
    env = {k: v for k, v in os.environ.items() if k not in ("FORKGUARD_AGENT_JAR", "JAVA_TOOL_OPTIONS")}
    env["PYTHONPATH"] = os.pathsep.join([PACKAGE_ROOT] + ([extra_path] if extra_path else []))
    if jar:
        env["FORKGUARD_AGENT_JAR"] = jar
    return subprocess.run([sys.executable, "-m", "forkguard"] + args, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def jar(tmp_path):
    p = tmp_path / "forkguard-agent.jar"
    p.write_bytes(b"PK")
    return str(p)


SHOW = textwrap.dedent("""
    import os, sys
    import forkguard._hook
    print("name", __name__)
    print("argv", sys.argv)
    print("tool", os.environ.get("JAVA_TOOL_OPTIONS"))
    print("hook", forkguard._hook._installed)
    print("path0", sys.path[0])
""")


def test_runs_a_script_with_its_arguments_the_agent_and_the_hook(tmp_path, jar):
    script = tmp_path / "prog.py"
    script.write_text(SHOW + "sys.exit(3)\n")
    # The program's own options, even those named like the runner's, are the program's.
    r = run(["--options", "reportDir=/tmp/r", str(script), "--flag", "x", "--options", "y", "-m", "z"],
            str(tmp_path), jar)
    assert r.returncode == 3, r.stderr
    assert "name __main__\n" in r.stdout
    assert "argv %r\n" % [str(script), "--flag", "x", "--options", "y", "-m", "z"] in r.stdout
    assert "tool -javaagent:%s=reportDir=/tmp/r\n" % jar in r.stdout
    assert "hook True\n" in r.stdout
    assert "path0 %s\n" % tmp_path in r.stdout


def test_runs_a_module(tmp_path, jar):
    pkg = tmp_path / "mods"
    pkg.mkdir()
    (pkg / "showmod.py").write_text(SHOW)
    r = run(["-m", "showmod", "a"], str(tmp_path), jar, extra_path=str(pkg))
    assert r.returncode == 0, r.stderr
    assert "name __main__\n" in r.stdout
    assert "hook True\n" in r.stdout
    assert "argv" in r.stdout and "'a']" in r.stdout


def test_without_a_jar_one_line_and_exit_code_2(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text("print('ran')\n")
    r = run([str(script)], str(tmp_path))
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("forkguard: no agent jar")


def test_spawned_children_find_the_scripts_functions(tmp_path, jar):
    # multiprocessing's spawn start method re-imports the main module in the child: it must be the
    # script, not forkguard's runner.
    script = tmp_path / "spawner.py"
    script.write_text(textwrap.dedent("""
        import multiprocessing

        def work(q):
            q.put("child ran work")

        if __name__ == "__main__":
            ctx = multiprocessing.get_context("spawn")
            q = ctx.Queue()
            p = ctx.Process(target=work, args=(q,))
            p.start()
            print(q.get(timeout=60))
            p.join(60)
            print("exit", p.exitcode)
    """))
    r = run([str(script)], str(tmp_path), jar)
    assert r.returncode == 0, r.stderr
    assert "child ran work\nexit 0\n" in r.stdout
