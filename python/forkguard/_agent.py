"""Finding the agent jar and giving it to the JVMs this program starts."""
import os
import shlex

ENV_JAR = "FORKGUARD_AGENT_JAR"
BUNDLED_JAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "forkguard-agent.jar")


class AgentJarNotFound(RuntimeError):
    """No agent jar: neither FORKGUARD_AGENT_JAR nor a copy inside the package."""


def agent_jar():
    """The agent jar: FORKGUARD_AGENT_JAR, else the package's own copy; AgentJarNotFound otherwise."""
    env = os.environ.get(ENV_JAR)
    if env:
        if os.path.isfile(env):
            return os.path.abspath(env)
        raise AgentJarNotFound("forkguard: %s=%s is not a file" % (ENV_JAR, env))
    if os.path.isfile(BUNDLED_JAR):
        return BUNDLED_JAR
    raise AgentJarNotFound(
        "forkguard: no agent jar: set %s to forkguard-agent.jar (built at agent/target/ by "
        "'mvn -B -q -DskipTests package'), or install a package built with the jar inside" % ENV_JAR)


def options_text(options):
    """Agent options as 'key=value,key=value', from that text itself or from a dict."""
    if options is None:
        return ""
    if isinstance(options, dict):
        return ",".join("%s=%s" % (k, v) for k, v in options.items())
    return str(options)


def javaagent_arg(options=None):
    """The '-javaagent:' argument for jpype.startJVM, e.g. javaagent_arg({'reportDir': '/tmp/fg'})."""
    text = options_text(options)
    return "-javaagent:" + agent_jar() + ("=" + text if text else "")


def add_to_java_tool_options(arg, environ=None):
    """Appends ``arg`` to JAVA_TOOL_OPTIONS, which every JVM started from now on reads (JPype's too).

    Returns False when a forkguard agent is already there (given by an outer 'python3 -m forkguard').
    """
    environ = os.environ if environ is None else environ
    current = environ.get("JAVA_TOOL_OPTIONS", "")
    if "forkguard-agent" in current or agent_jar() in current:
        return False
    # The JVM splits JAVA_TOOL_OPTIONS at white space and honours quotes (JDK 9+).
    quoted = arg if not any(c.isspace() for c in arg) else shlex.quote(arg).replace("'", '"')
    environ["JAVA_TOOL_OPTIONS"] = (current + " " + quoted).strip()
    return True
