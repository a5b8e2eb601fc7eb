package dev.forkguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the README, CONTRIBUTING and docs/*.md resolves: the file exists and, for a
 * link into a Markdown file, the anchor is one of its headings (as GitHub spells anchors).
 */
class MarkdownLinksTest {

    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    /** {@code [text](target)} and {@code ![alt](target)}; a title after the target is allowed. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        List<Path> docs = markdownFiles();
        assertThat(docs).as("Markdown files under " + ROOT).extracting(p -> ROOT.relativize(p).toString())
                .contains("README.md", "CONTRIBUTING.md", "docs/DESIGN.md");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            for (String target : links(Files.readString(doc))) {
                checked++;
                String problem = problem(doc, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(doc) + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(20);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void aMissingFileAndAMissingAnchorAreCaught() throws IOException {
        Path readme = ROOT.resolve("README.md");
        assertThat(problem(readme, "docs/NO-SUCH-PAGE.md")).isNotNull();
        assertThat(problem(readme, "docs/DESIGN.md#no-such-heading")).isNotNull();
        assertThat(problem(readme, "docs/DESIGN.md#child-safe-code")).isNull();
        assertThat(links("see [a](x.md) and `[b](y.md)`\n```\n[c](z.md)\n```\n")).containsExactly("x.md");
    }

    @Test
    void anchorsAreSpelledAsGitHubSpellsThem() {
        assertThat(anchor("The child's fate")).isEqualTo("the-childs-fate");
        assertThat(anchor("Native callers of fork()")).isEqualTo("native-callers-of-fork");
        assertThat(anchor("With `-javaagent`")).isEqualTo("with--javaagent");
        assertThat(anchor("Seeing a fork: HTML view and JFR")).isEqualTo("seeing-a-fork-html-view-and-jfr");
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> top = Files.list(ROOT)) {
            out.addAll(top.filter(p -> p.getFileName().toString().endsWith(".md")).collect(Collectors.toList()));
        }
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            out.addAll(docs.filter(p -> p.getFileName().toString().endsWith(".md")).collect(Collectors.toList()));
        }
        return out;
    }

    /** Relative link targets outside code blocks and inline code. */
    private static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    out.add(target);
                }
            }
        }
        return out;
    }

    /** Why {@code target}, linked from {@code doc}, does not resolve; null when it does. */
    private static String problem(Path doc, String target) throws IOException {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (fragment != null && file.getFileName().toString().endsWith(".md")
                && !anchors(Files.readString(file)).contains(fragment)) {
            return "no heading with anchor #" + fragment + " in " + ROOT.relativize(file);
        }
        return null;
    }

    private static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!inFence && m.matches()) {
                String base = anchor(m.group(1));
                String a = base;
                for (int n = 1; !out.add(a); n++) {
                    a = base + "-" + n;
                }
            }
        }
        return out;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
    static String anchor(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                b.append(c);
            } else if (c == ' ') {
                b.append('-');
            }
        }
        return b.toString();
    }
}
