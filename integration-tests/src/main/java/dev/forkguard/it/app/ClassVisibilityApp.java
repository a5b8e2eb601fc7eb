package dev.forkguard.it.app;

/** Prints, for each class name given, whether the application's class loader can load it. */
public final class ClassVisibilityApp {

    private ClassVisibilityApp() {}

    public static void main(String[] args) {
        for (String name : args) {
            try {
                Class<?> c = Class.forName(name, false, ClassVisibilityApp.class.getClassLoader());
                System.out.println("visible " + name + " from " + c.getClassLoader());
            } catch (ClassNotFoundException e) {
                System.out.println("ClassNotFoundException " + name);
            }
        }
    }
}
