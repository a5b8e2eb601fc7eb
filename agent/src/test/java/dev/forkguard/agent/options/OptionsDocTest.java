package dev.forkguard.agent.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** docs/OPTIONS.md is generated from the declarations; this fails when the two drift apart. */
class OptionsDocTest {

    private static final Path DOC = Paths.get("..", "docs", "OPTIONS.md");

    @Test
    void optionsDocMatchesTheDeclarations() throws Exception {
        String expected = OptionsDoc.markdown();
        if (Boolean.getBoolean("forkguard.writeDocs")) {
            Files.writeString(DOC, expected);
        }
        assertThat(DOC).as("regenerate with -Dforkguard.writeDocs=true").exists();
        assertThat(Files.readString(DOC)).isEqualTo(expected);
    }
}
