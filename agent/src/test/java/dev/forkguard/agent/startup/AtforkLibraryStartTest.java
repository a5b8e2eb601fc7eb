package dev.forkguard.agent.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.AtforkLibrary;
import dev.forkguard.probe.Libc;
import org.junit.jupiter.api.Test;

/** The library built by native-probe is found on the class path, copied to a real file and bound. */
class AtforkLibraryStartTest {

    @Test
    void loadsTheLibraryForThisPlatform() throws Exception {
        Libc.bind();
        AtforkLibraryStart.load();

        assertThat(AtforkLibraryStart.problem()).isNull();
        assertThat(AtforkLibrary.bound()).isTrue();
        int depth = AtforkLibrary.launchDepth();
        AtforkLibrary.launchEntered();
        assertThat(AtforkLibrary.launchDepth()).isEqualTo(depth + 1);
        AtforkLibrary.launchLeft();
        assertThat(AtforkLibrary.launchDepth()).isEqualTo(depth);
    }
}
