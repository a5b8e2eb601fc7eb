package dev.forkguard.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.launcher.UserCache;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdviceTransformerTest {

    @TempDir
    Path base;

    @Test
    void targetsAreExactlyThePlannedClasses() {
        assertThat(Instrumentations.plan().keySet()).containsExactlyInAnyOrderElementsOf(Instrumentations.TARGETS);
    }

    @Test
    void aWovenClassIsServedFromTheCacheOnTheNextStartWithoutWeaving() throws Exception {
        byte[] original = classFile("java/util/concurrent/locks/ReentrantLock.class");
        UserCache cache = open(base);

        AdviceTransformer first = transformer(new TransformCache(cache, "agent1"));
        byte[] woven = first.transform(null, "java/util/concurrent/locks/ReentrantLock", null, null, original);
        assertThat(first.wove()).isTrue();
        assertThat(woven).isNotNull().isNotEqualTo(original);
        assertThat(new String(woven, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("dev/forkguard/bridge/ForkguardBridge");

        AdviceTransformer next = transformer(new TransformCache(cache, "agent1"));
        assertThat(next.transform(null, "java/util/concurrent/locks/ReentrantLock", null, null, original))
                .isEqualTo(woven);
        assertThat(next.wove()).isFalse();

        // Another agent build, or other input bytes, never get that entry.
        AdviceTransformer otherAgent = transformer(new TransformCache(cache, "agent2"));
        otherAgent.transform(null, "java/util/concurrent/locks/ReentrantLock", null, null, original);
        assertThat(otherAgent.wove()).isTrue();
        byte[] otherInput = original.clone();
        otherInput[otherInput.length - 1] ^= 1;
        assertThat(new TransformCache(cache, "agent2").get("java.util.concurrent.locks.ReentrantLock", otherInput))
                .isNull();
    }

    @Test
    void classesOutsideThePlanOrOutsideTheBootLoaderAreLeftAlone() throws Exception {
        AdviceTransformer t = transformer(null);
        byte[] original = classFile("java/util/concurrent/locks/ReentrantLock.class");
        assertThat(t.transform(getClass().getClassLoader(), "java/util/concurrent/locks/ReentrantLock", null, null,
                original)).isNull();
        assertThat(t.transform(null, "java/lang/String", null, null, classFile("java/lang/String.class"))).isNull();
        assertThat(t.wove()).isFalse();
    }

    private static AdviceTransformer transformer(TransformCache cache) {
        Set<String> names = new HashSet<>();
        for (String n : Instrumentations.TARGETS) {
            names.add(n.replace('.', '/'));
        }
        return new AdviceTransformer(names, new Instrumentations.Result(), cache);
    }

    private static UserCache open(Path base) throws Exception {
        Method open = UserCache.class.getDeclaredMethod("open", Path.class);
        open.setAccessible(true);
        return (UserCache) open.invoke(null, base);
    }

    private static byte[] classFile(String resource) throws Exception {
        try (InputStream in = Object.class.getModule().getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
