package dev.forkguard.agent.options;

import java.util.Locale;

/**
 * One agent option: its name, default and one-line description, declared once in
 * {@link ForkguardOptions}. The agent-argument key, the {@code -Dforkguard.*} property, the
 * {@code FORKGUARD_*} variable and the generated options doc all derive from the name.
 */
public final class Option<T> {

    /** Turns the text a user wrote into a value, or says in a few words why it cannot. */
    public interface Parser<T> {
        T parse(String text) throws IllegalArgumentException;
    }

    private final String name;
    private final T defaultValue;
    private final String defaultText;
    private final String description;
    private final Parser<T> parser;

    Option(String name, T defaultValue, String defaultText, String description, Parser<T> parser) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
        this.parser = parser;
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as a user would write it, or a phrase such as "(none)". */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    T parse(String text) {
        return parser.parse(text);
    }

    public String systemProperty() {
        return "forkguard." + name;
    }

    /** {@code reportDir} becomes {@code FORKGUARD_REPORT_DIR}. */
    public String environmentVariable() {
        StringBuilder b = new StringBuilder("FORKGUARD_");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                b.append('_');
            }
            b.append(Character.toUpperCase(c));
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name;
    }
}
