package dev.forkguard.launcher;

import java.io.File;
import java.net.URL;
import java.util.jar.JarFile;

/** {@code java -jar forkguard-agent.jar}: starts the CLI inside the isolated class loader. */
public final class ForkguardMain {

    private static final String COMMAND = "dev.forkguard.cli.ForkguardCommand";

    private ForkguardMain() {}

    public static void main(String[] args) throws Exception {
        URL location = ForkguardAgent.agentJarLocation();
        IsolatedClassLoader loader = new IsolatedClassLoader(new JarFile(new File(location.toURI())), location);
        Thread.currentThread().setContextClassLoader(loader);
        Object code = loader.loadClass(COMMAND)
                .getMethod("run", String[].class, String.class, String.class)
                .invoke(null, args, ForkguardAgent.implementationVersion(loader.jar()), new File(location.toURI()).getPath());
        System.exit((Integer) code);
    }
}
