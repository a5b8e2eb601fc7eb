package dev.forkguard.bench;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Order statistics of one sample: median, p10, p90, and a distribution-free 95% confidence interval
 * of the median (binomial order statistics), the error bar the tables show for timings that are not
 * normally distributed (fork pauses, JVM start-up).
 */
public final class Stats implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double[] sorted;

    public Stats(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public static Stats ofNanosAsMillis(long[] nanos) {
        double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        return new Stats(ms);
    }

    public int count() {
        return sorted.length;
    }

    public double median() {
        return quantile(0.5);
    }

    public double p10() {
        return quantile(0.1);
    }

    public double p90() {
        return quantile(0.9);
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    /** Linear interpolation between closest ranks. */
    public double quantile(double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Lower end of the ~95% confidence interval of the median: rank n/2 - 0.98 sqrt(n). */
    public double medianLow() {
        int n = sorted.length;
        int k = (int) Math.floor(n / 2.0 - 0.98 * Math.sqrt(n));
        return sorted[Math.max(0, k)];
    }

    /** Upper end of the ~95% confidence interval of the median. */
    public double medianHigh() {
        int n = sorted.length;
        int k = (int) Math.ceil(n / 2.0 + 0.98 * Math.sqrt(n));
        return sorted[Math.min(n - 1, k)];
    }
}
