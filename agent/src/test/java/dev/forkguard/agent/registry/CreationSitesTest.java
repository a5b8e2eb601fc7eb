package dev.forkguard.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.sitetest.SiteMaker;
import org.junit.jupiter.api.Test;

class CreationSitesTest {

    @Test
    void oneLineIsOneSiteAndItsFirstFrameIsTheCallerNotTheAgent() {
        CreationSites sites = new CreationSites(8, 100);
        CreationSite[] same = new CreationSite[2];
        for (int i = 0; i < same.length; i++) {
            same[i] = SiteMaker.lineA(sites); // one path: every frame alike
        }
        CreationSite first = same[0];
        CreationSite other = SiteMaker.lineB(sites);

        assertThat(same[1]).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(sites.size()).isEqualTo(2);
        assertThat(first.type()).isEqualTo("java.util.concurrent.locks.ReentrantLock");
        assertThat(first.site().getClassName()).isEqualTo(SiteMaker.class.getName());
        assertThat(first.site().getMethodName()).isEqualTo("lineA");
        assertThat(first.describe()).startsWith("dev.forkguard.sitetest.SiteMaker.lineA(SiteMaker.java:");
    }

    @Test
    void theSameLineReachedByAnotherPathIsAnotherSite() {
        CreationSites sites = new CreationSites(8, 100);
        CreationSite viaHere = SiteMaker.lineA(sites);
        CreationSite viaThere = SiteMaker.lineA(sites);
        assertThat(viaThere).isNotSameAs(viaHere);
        assertThat(viaThere.describe()).isEqualTo(viaHere.describe());
    }

    @Test
    void aSiteKeepsItsDepthInFramesHoweverDeepTheStack() {
        CreationSites sites = new CreationSites(8, 100);
        assertThat(SiteMaker.deep(sites, 150).frames()).hasSize(8);
        assertThat(SiteMaker.deep(sites, 3).frames()).hasSize(8);
    }

    @Test
    void pastMaxSitesANewSiteIsRefusedAndCountedWhileKnownSitesAreStillFound() {
        CreationSites sites = new CreationSites(8, 1);
        CreationSite[] a = new CreationSite[2];
        for (int i = 0; i < a.length; i++) {
            a[i] = SiteMaker.lineA(sites);
            if (i == 0) {
                assertThat(SiteMaker.lineB(sites)).isNull();
            }
        }
        assertThat(sites.refused()).isEqualTo(1);
        assertThat(a[1]).isSameAs(a[0]);
    }
}
