package dev.forkguard.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layout CONTRIBUTING.md describes: packages depend one way (data flows fork -> snapshot ->
 * report -> watchdog -> publish), and the class-loader boundary is the package boundary.
 */
class LayoutTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.forkguard");

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.forkguard.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    /** The launcher runs in the application's loader: it reaches the isolated agent only by name. */
    @Test
    void launcherUsesNoIsolatedClass() {
        noClasses().that().resideInAPackage("dev.forkguard.launcher..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.forkguard.agent..", "dev.forkguard.cli..",
                        "dev.forkguard.probe..", "com.sun.jna..", "net.bytebuddy..", "org.slf4j..", "ch.qos.logback..")
                .check(CLASSES);
    }

    /** The bridge is defined in the boot loader: it can see nothing but the JDK. */
    @Test
    void bridgeUsesOnlyTheJdk() {
        noClasses().that().resideInAPackage("dev.forkguard.bridge..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.forkguard.agent..", "dev.forkguard.launcher..",
                        "dev.forkguard.cli..", "dev.forkguard.probe..")
                .check(CLASSES);
    }
}
