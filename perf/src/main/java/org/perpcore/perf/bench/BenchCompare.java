package org.perpcore.perf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/perpcore bench compare A B}: two results (a result directory or its summary.json) side by side, per
 * path and percentile, with the ratio B / A (below 1: B is faster); then the environment entries that differ, so a
 * ratio is never read without knowing what changed. Exit status 2, with the reason, on anything that is not two
 * readable results.
 */
final class BenchCompare {
    private static final List<String> ENV_KEYS = List.of("cpu", "cores", "javaVendor", "javaVersion", "jvmFlags",
        "gc", "waitStrategy", "journal", "gitRevision", "gitDirty", "profile", "rate", "loadAverageAtStart");

    private BenchCompare() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("perpcore bench compare: give two results, A and B (result directories or summary.json files)");
            return 2;
        }
        final JsonNode a;
        final JsonNode b;
        try {
            a = load(args[0]);
            b = load(args[1]);
        } catch (IllegalArgumentException e) {
            err.println("perpcore bench compare: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "A: %s%nB: %s%n%n", args[0], args[1]);
        out.printf(Locale.ROOT, "%-26s %-8s %12s %12s %9s%n", "path", "stat", "A", "B", "B / A");
        int rows = 0;
        final Iterator<String> names = a.get("paths").fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            final JsonNode pa = a.get("paths").get(name);
            final JsonNode pb = b.get("paths").get(name);
            if (pb == null || pa.path("count").asLong() == 0 || pb.path("count").asLong() == 0) {
                out.printf(Locale.ROOT, "%-26s (not measured in both)%n", name);
                continue;
            }
            for (double p : BenchResult.PERCENTILES) {
                rows += row(out, name, BenchResult.percentileKey(p), pa, pb, true);
            }
            rows += row(out, name, "max", pa, pb, true);
            rows += row(out, name, "throughputPerSecond", pa, pb, false);
        }
        if (rows == 0) {
            err.println("perpcore bench compare: the two results have no measured path in common");
            return 2;
        }
        out.println();
        boolean same = true;
        for (String key : ENV_KEYS) {
            final JsonNode ea = a.path("environment").path(key);
            final JsonNode eb = b.path("environment").path(key);
            if (!ea.equals(eb)) {
                if (same) {
                    out.println("environment differences:");
                    same = false;
                }
                out.printf(Locale.ROOT, "  %s: A %s | B %s%n", key, ea, eb);
            }
        }
        if (same) {
            out.println("same environment (CPU, JVM, flags, wait strategy, journal, revision, profile, rate)");
        }
        return 0;
    }

    private static int row(PrintStream out, String path, String key, JsonNode pa, JsonNode pb, boolean us) {
        final JsonNode va = pa.get(key);
        final JsonNode vb = pb.get(key);
        if (va == null || vb == null || !va.isNumber() || !vb.isNumber()) {
            return 0;
        }
        final double x = va.asDouble();
        final double y = vb.asDouble();
        final String ratio = x > 0 ? String.format(Locale.ROOT, "%.3f", y / x) : "-";
        if (us) {
            out.printf(Locale.ROOT, "%-26s %-8s %10.1fus %10.1fus %9s%n", path, key, x / 1e3, y / 1e3, ratio);
        } else {
            out.printf(Locale.ROOT, "%-26s %-8s %10.0f/s %10.0f/s %9s%n", path, "per sec", x, y, ratio);
        }
        return 1;
    }

    /** A result's summary; {@link IllegalArgumentException} saying why it is not one. */
    static JsonNode load(String arg) {
        Path p = Path.of(arg);
        if (Files.isDirectory(p)) {
            p = p.resolve("summary.json");
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + ": no such file (a result directory holds summary.json)");
        }
        final JsonNode root;
        try {
            root = BenchMain.JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || !"perpcore-bench/1".equals(root.path("format").asText())
            || !root.path("paths").isObject()) {
            throw new IllegalArgumentException(p + ": not a perpcore bench summary (format perpcore-bench/1 with paths)");
        }
        return root;
    }
}
