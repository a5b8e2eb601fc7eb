package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An application with its own SLF4J and Logback: logs, says which binding it got, forks once. */
public final class OwnLoggingApp {

    private OwnLoggingApp() {}

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(OwnLoggingApp.class);
        log.info("the application's own logback speaks");
        Object factory = LoggerFactory.getILoggerFactory();
        System.out.println("binding " + factory.getClass().getName() + " from "
                + (factory.getClass().getClassLoader() == ClassLoader.getSystemClassLoader() ? "the application"
                        : String.valueOf(factory.getClass().getClassLoader())));
        Libc.bind();
        int exitCode = ChildWaits.forkExitingChild(10_000);
        log.warn("forked and reaped a child, exit code {}", exitCode);
        Thread.sleep(300);
    }
}
