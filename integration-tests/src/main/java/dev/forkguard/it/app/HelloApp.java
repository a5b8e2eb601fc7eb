package dev.forkguard.it.app;

/** Does nothing but say it ran: shows the application survives whatever the agent met. */
public final class HelloApp {

    private HelloApp() {}

    public static void main(String[] args) throws Exception {
        // Touch the instrumented paths, so a broken hook would show here.
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        lock.lock();
        lock.unlock();
        Thread t = new Thread(() -> { }, "hello-worker");
        t.start();
        t.join();
        System.out.println("hello: application ran");
    }
}
