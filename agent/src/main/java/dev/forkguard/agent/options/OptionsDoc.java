package dev.forkguard.agent.options;

/** Renders {@code docs/OPTIONS.md} from the option declarations, so the doc cannot drift from the code. */
public final class OptionsDoc {

    private OptionsDoc() {}

    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# forkguard options\n\n")
                .append("<!-- Generated from ForkguardOptions by OptionsDocTest; edit the declarations, then run\n")
                .append("     mvn -pl agent test -Dtest=OptionsDocTest -Dforkguard.writeDocs=true -->\n\n")
                .append("Each option can be given three ways; the first found wins:\n\n")
                .append("1. agent arguments: `-javaagent:forkguard-agent.jar=reportDir=/tmp/fg,watchdog=10`\n")
                .append("2. system properties: `-Dforkguard.reportDir=/tmp/fg`\n")
                .append("3. environment variables: `FORKGUARD_REPORT_DIR=/tmp/fg`\n\n")
                .append("A bad key or value never stops the agent or the application: the agent logs one WARN line\n")
                .append("naming the option and quoting the value, and uses the default.\n\n")
                .append("| option | property | variable | default | description |\n")
                .append("|---|---|---|---|---|\n");
        for (Option<?> o : ForkguardOptions.ALL) {
            b.append("| `").append(o.name()).append("` | `-D").append(o.systemProperty()).append("` | `")
                    .append(o.environmentVariable()).append("` | ").append(o.defaultText()).append(" | ")
                    .append(o.description()).append(" |\n");
        }
        return b.toString();
    }
}
