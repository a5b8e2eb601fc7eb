package dev.forkguard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * An SVG line chart of the median fork pause against live threads (log scale), one line per JDK,
 * agent or not, and tracked-lock count, with the p10-p90 range as a vertical bar.
 */
final class ForkPauseChart {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 460;
    private static final int LEFT = 70;
    private static final int RIGHT = 250;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#843c39"};

    private final List<Results.ForkRow> rows;

    ForkPauseChart(List<Results.ForkRow> rows) {
        this.rows = rows;
    }

    /** One plotted line: its label, and for each thread count its median and p10/p90 (ms). */
    private record Series(String label, boolean agent, List<double[]> points) {
    }

    String svg() {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(LEFT, 22, "Fork pause (median, bar p10-p90) against live application threads", "start", 14));
        if (rows.isEmpty()) {
            s.append(text(WIDTH / 2, HEIGHT / 2, "no fork-pause results in this run", "middle", 12));
            return s.append("</svg>\n").toString();
        }
        TreeSet<Integer> threadCounts = new TreeSet<>();
        double max = 0;
        for (Results.ForkRow r : rows) {
            threadCounts.add(r.threads());
            max = Math.max(max, Math.max(r.none().p90(), r.agent().p90()));
        }
        double yMax = niceCeiling(max);
        List<Series> series = series();
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double minLog = Math.log10(threadCounts.first());
        double maxLog = Math.log10(threadCounts.last());
        // Axes and grid.
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = TOP + plotH - plotH * v / yMax;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + plotW, y));
            s.append(text(LEFT - 6, y + 4, String.format(Locale.ROOT, "%.2f", v), "end", 11));
        }
        for (int t : threadCounts) {
            double x = x(t, minLog, maxLog, plotW);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP, x, TOP + plotH));
            s.append(text(x, TOP + plotH + 18, Integer.toString(t), "middle", 11));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, TOP, plotW, plotH));
        s.append(text(LEFT + plotW / 2.0, HEIGHT - 18, "live application threads (log scale)", "middle", 12));
        s.append(String.format(Locale.ROOT,
                "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">fork() pause, ms</text>%n",
                TOP + plotH / 2.0, TOP + plotH / 2.0));
        for (int i = 0; i < series.size(); i++) {
            Series se = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (double[] p : se.points()) {
                double x = x((int) p[0], minLog, maxLog, plotW);
                double y = TOP + plotH - plotH * p[1] / yMax;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                double y10 = TOP + plotH - plotH * p[2] / yMax;
                double y90 = TOP + plotH - plotH * p[3] / yMax;
                s.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>%n",
                        x, y10, x, y90, colour));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
                        colour));
            }
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", path,
                    colour, se.agent() ? "" : " stroke-dasharray=\"6 4\""));
            int ly = TOP + 10 + i * 18;
            int lx = LEFT + plotW + 14;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    lx, ly, lx + 24, ly, colour, se.agent() ? "" : " stroke-dasharray=\"6 4\""));
            s.append(text(lx + 30, ly + 4, se.label(), "start", 11));
        }
        return s.append("</svg>\n").toString();
    }

    private List<Series> series() {
        List<Series> out = new ArrayList<>();
        TreeSet<Integer> jdks = new TreeSet<>();
        TreeSet<Integer> lockCounts = new TreeSet<>();
        for (Results.ForkRow r : rows) {
            jdks.add(r.jdk());
            lockCounts.add(r.locks());
        }
        for (int jdk : jdks) {
            // The bare fork hardly depends on lock count: one line, the 0-lock runs.
            out.add(new Series("JDK " + jdk + ", no agent", false, points(jdk, lockCounts.first(), false)));
            for (int locks : lockCounts) {
                out.add(new Series(String.format(Locale.ROOT, "JDK %d, agent, %,d locks", jdk, locks), true,
                        points(jdk, locks, true)));
            }
        }
        return out;
    }

    private List<double[]> points(int jdk, int locks, boolean agent) {
        List<double[]> points = new ArrayList<>();
        for (Results.ForkRow r : rows) {
            if (r.jdk() == jdk && r.locks() == locks) {
                Stats st = agent ? r.agent() : r.none();
                points.add(new double[] {r.threads(), st.median(), st.p10(), st.p90()});
            }
        }
        return points;
    }

    private static double x(int threads, double minLog, double maxLog, int plotW) {
        if (maxLog == minLog) {
            return LEFT + plotW / 2.0;
        }
        return LEFT + 30 + (plotW - 60) * (Math.log10(threads) - minLog) / (maxLog - minLog);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String text(double x, double y, String text, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n", x,
                y, anchor, size, text.replace("&", "&amp;").replace("<", "&lt;"));
    }
}
