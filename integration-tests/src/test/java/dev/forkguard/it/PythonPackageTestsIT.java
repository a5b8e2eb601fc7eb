package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python package's own unit tests (python/tests) with Debian's python3 and python3-pytest,
 * so that {@code mvn verify} runs them too. Installs python3-pytest when missing (as root, as CI
 * runs). pytest's exit code 5 (no tests collected) fails here like any other non-zero code.
 */
class PythonPackageTestsIT {

    private static final Path PYTHON_DIR = Paths.get("../python").toAbsolutePath().normalize();

    @Test
    void pytestPassesOnThePythonPackage() throws Exception {
        String[] probe = PythonHostIT.run(List.of("/usr/bin/python3", "-c", "import pytest"), Map.of(), 60);
        if (!"0".equals(probe[0])) {
            PythonHostIT.run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                    + "apt-get install -y -qq python3-pytest"), Map.of(), 600);
        }
        String[] r = PythonHostIT.run(List.of("/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                PYTHON_DIR.resolve("tests").toString()), Map.of("PYTHONDONTWRITEBYTECODE", "1"), 300);
        assertThat(r[0]).as("pytest exit code (5: no tests collected)\n" + r[1]).isEqualTo("0");
        assertThat(r[1]).containsPattern("\\d+ passed");
    }
}
