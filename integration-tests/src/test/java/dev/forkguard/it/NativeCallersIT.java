package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fork made from Java through a foreign-function library other than JNA (jnr-posix: jnr-ffi over
 * jffi and libffi) shows the Java stack that made it and no native frames: a stack scan through the
 * library's frames finds only stale words (it used to list the launcher's thread-start frames).
 */
class NativeCallersIT {

    private static final String TEST_CLASSES = System.getProperty("forkguard.it.testClasses");

    @TempDir
    Path tmp;

    private static String[] jnrPosixJars() throws IOException {
        try (Stream<Path> jars = Files.list(Paths.get(System.getProperty("forkguard.it.jnrPosixDir")))) {
            return jars.map(Path::toString).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aForkThroughJnrPosixShowsTheJavaStackAndNoNativeFrames() throws Exception {
        String[] jars = jnrPosixJars();
        assertThat(jars).anySatisfy(j -> assertThat(j).contains("jnr-posix-")).anySatisfy(j -> assertThat(j).contains("jffi-"));
        ForkedJvm.Result r = ForkedJvm.app("dev.forkguard.it.app.JnrPosixForkApp").classpath(TEST_CLASSES)
                .classpath(jars).agentArgs("reportDir=" + tmp).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).as(r.toString()).containsPattern("app: jnr-posix forked child \\d+");
        assertThat(r.stderr).as(r.toString())
                .containsPattern("fork #1 in pid \\d+ by thread \"main\"")
                .containsPattern("Forking thread \\(the only thread in the child\\):\n  \"main\" #\\d+ RUNNABLE\n"
                        + "      at jnr\\.posix\\.[A-Za-z$0-9_.]+\\.fork\\(Native Method\\)\n"
                        + "      at jnr\\.posix\\.BaseNativePOSIX\\.fork\\(BaseNativePOSIX\\.java:\\d+\\)\n"
                        + "      at dev\\.forkguard\\.it\\.app\\.JnrPosixForkApp\\.forkOnce\\(JnrPosixForkApp\\.java:\\d+\\)\n")
                .doesNotContain("Native code that called fork()").doesNotContain("libjli.so");
        // JDK 24+ warns about jffi's own use of sun.misc.Unsafe: the application's, not the agent's.
        assertThat(r.stderrLines("WARNING:")).as(r.toString())
                .allSatisfy(line -> assertThat(line).doesNotContain("restricted method").doesNotContain("forkguard"));
        JsonNode report;
        try (Stream<Path> files = Files.list(tmp)) {
            Path json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            report = new ObjectMapper().readTree(json.toFile());
        }
        // Captured, and found to belong to Java: an empty list, not a missing one.
        assertThat(report.get("nativeCallers").isArray()).as(report.toString()).isTrue();
        assertThat(report.get("nativeCallers").size()).as(report.toString()).isZero();
    }
}
