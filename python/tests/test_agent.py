import os

import pytest

import forkguard
from forkguard import _agent


@pytest.fixture
def jar(tmp_path):
    p = tmp_path / "forkguard-agent.jar"
    p.write_bytes(b"PK")
    return str(p)


def test_the_jar_comes_from_the_environment_first(monkeypatch, jar, tmp_path):
    bundled = tmp_path / "bundled.jar"
    bundled.write_bytes(b"PK")
    monkeypatch.setattr(_agent, "BUNDLED_JAR", str(bundled))
    monkeypatch.setenv("FORKGUARD_AGENT_JAR", jar)
    assert forkguard.agent_jar() == jar
    monkeypatch.delenv("FORKGUARD_AGENT_JAR")
    assert forkguard.agent_jar() == str(bundled)


def test_no_jar_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.delenv("FORKGUARD_AGENT_JAR", raising=False)
    monkeypatch.setattr(_agent, "BUNDLED_JAR", str(tmp_path / "absent.jar"))
    with pytest.raises(forkguard.AgentJarNotFound) as e:
        forkguard.agent_jar()
    assert "\n" not in str(e.value) and "FORKGUARD_AGENT_JAR" in str(e.value)
    monkeypatch.setenv("FORKGUARD_AGENT_JAR", str(tmp_path / "nope.jar"))
    with pytest.raises(forkguard.AgentJarNotFound, match="is not a file"):
        forkguard.agent_jar()


def test_javaagent_arg_for_startjvm(monkeypatch, jar):
    monkeypatch.setenv("FORKGUARD_AGENT_JAR", jar)
    assert forkguard.javaagent_arg() == "-javaagent:" + jar
    assert forkguard.javaagent_arg("logLevel=debug") == "-javaagent:" + jar + "=logLevel=debug"
    assert forkguard.javaagent_arg({"reportDir": "/tmp/r", "watchdog": 3}) == \
        "-javaagent:" + jar + "=reportDir=/tmp/r,watchdog=3"


def test_java_tool_options_gets_the_agent_once_and_keeps_what_was_there(monkeypatch, jar):
    monkeypatch.setenv("FORKGUARD_AGENT_JAR", jar)
    env = {"JAVA_TOOL_OPTIONS": "-Xss2m"}
    assert _agent.add_to_java_tool_options(forkguard.javaagent_arg(), env) is True
    assert env["JAVA_TOOL_OPTIONS"] == "-Xss2m -javaagent:" + jar
    assert _agent.add_to_java_tool_options(forkguard.javaagent_arg(), env) is False
    assert env["JAVA_TOOL_OPTIONS"] == "-Xss2m -javaagent:" + jar


def test_a_path_with_spaces_is_quoted_for_the_jvm(monkeypatch, tmp_path):
    d = tmp_path / "with space"
    d.mkdir()
    j = d / "fg.jar"
    j.write_bytes(b"PK")
    monkeypatch.setenv("FORKGUARD_AGENT_JAR", str(j))
    env = {}
    _agent.add_to_java_tool_options(forkguard.javaagent_arg(), env)
    assert env["JAVA_TOOL_OPTIONS"] == '"-javaagent:' + str(j) + '"'


def test_install_before_the_jvm_gives_the_agent_to_the_jvm_jpype_will_start(monkeypatch, jar):
    monkeypatch.setenv("FORKGUARD_AGENT_JAR", jar)
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "")  # restored after the test
    forkguard.install({"reportDir": "/tmp/r"})
    assert os.environ["JAVA_TOOL_OPTIONS"] == "-javaagent:" + jar + "=reportDir=/tmp/r"
