package org.perpcore.perf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's bookkeeping (a bound no run can miss, so the outcome does not depend on the machine), the sweep
 * page, and {@code bench compare}: ratios of two results, exit status 2 on bad input.
 */
class BenchSweepAndCompareTest {
    @TempDir
    static Path dir;
    static Path sweep;

    @BeforeAll
    static void runSweep() throws Exception {
        sweep = dir.resolve("sweep");
        final int status = BenchMain.run(new String[] {"sweep", "--accounts", "2000", "--sweep-rates", "2000,4000",
            "--duration", "1", "--warmup", "0.3", "--bound-us", "1000000000", "--journal", "off", "--layout", "split",
            "--jit-warmup", "1", "--out", sweep.toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
    }

    @Test
    void sweepRunsEveryRateAndReportsTheHighestHeld() throws Exception {
        final JsonNode s = BenchMain.JSON.readTree(sweep.resolve("summary.json").toFile());
        final JsonNode points = s.get("sweep").get("points");
        assertEquals(2, points.size());
        assertEquals(2000, points.get(0).get("rate").asDouble());
        assertEquals(4000, points.get(1).get("rate").asDouble());
        assertEquals(4000, s.get("sweep").get("highestHeldRate").asDouble());
        assertEquals("off", s.get("config").get("journal").asText());
        assertEquals("split", s.get("config").get("layout").asText());
        for (JsonNode p : points) {
            final JsonNode point = BenchMain.JSON.readTree(sweep.resolve(p.get("dir").asText())
                .resolve("summary.json").toFile());
            assertEquals("split", point.get("config").get("layout").asText(), "each point in the sweep's layout");
            assertEquals(point.get("paths").get("order_ack").get("count").asLong(),
                point.get("paths").get("engine_order").get("count").asLong(), "engine time of every order");
            assertTrue(Files.isRegularFile(sweep.resolve(p.get("dir").asText()).resolve("summary.json")));
            assertTrue(p.get("held").asBoolean());
        }
        assertTrue(Files.isRegularFile(sweep.resolve("order-ack.hlog")));
        final Path html = sweep.resolve("report.html");
        Chromium.assumeInstalled();
        final Matcher m = Pattern.compile("data-check=\"ok:(\\d+):(\\d+)\"").matcher(Chromium.dumpDom(html));
        assertTrue(m.find(), "the report's check script did not run to its end");
        assertEquals(2, Integer.parseInt(m.group(1)), "distribution and sweep plots");
    }

    @Test
    void compareprintsRatiosPerPathAndPercentile() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status = BenchMain.run(new String[] {"compare", sweep.resolve("rate-2000").toString(),
            sweep.resolve("rate-4000").resolve("summary.json").toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        final JsonNode a = BenchMain.JSON.readTree(sweep.resolve("rate-2000/summary.json").toFile());
        final JsonNode b = BenchMain.JSON.readTree(sweep.resolve("rate-4000/summary.json").toFile());
        final double ratio = b.get("paths").get("order_ack").get("p99").asDouble()
            / a.get("paths").get("order_ack").get("p99").asDouble();
        final Matcher m = Pattern.compile("order_ack\\s+p99\\s+\\S+\\s+\\S+\\s+(\\S+)").matcher(text);
        assertTrue(m.find(), text);
        assertEquals(ratio, Double.parseDouble(m.group(1)), 0.0006);
        assertTrue(text.contains("rate: A 2000.0 | B 4000.0"), text);
    }

    @Test
    void compareRejectsWhatIsNotTwoResults() throws Exception {
        final Path notJson = Files.writeString(dir.resolve("x.json"), "{not json");
        final Path other = Files.writeString(dir.resolve("y.json"), "{\"format\":\"something else\"}");
        final String[][] bad = {
            {"compare", sweep.toString()},
            {"compare", sweep.toString(), dir.resolve("missing").toString()},
            {"compare", notJson.toString(), sweep.toString()},
            {"compare", sweep.toString(), other.toString()},
        };
        final String[] why = {"give two results", "no such file", "not JSON", "not a perpcore bench summary"};
        for (int i = 0; i < bad.length; i++) {
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int status = BenchMain.run(bad[i], new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, status, String.join(" ", bad[i]));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(why[i]), err.toString(StandardCharsets.UTF_8));
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void badOptionsExitWithStatusTwoAndSayWhich() throws Exception {
        final String[][] bad = {{"--rate", "-5"}, {"--journal", "maybe"}, {"--wait-strategy", "nap"},
            {"--profile", "huge"}, {"--accounts", "10"}, {"--frobnicate"}, {"--duration"}, {"--layout", "diagonal"},
            {"--jit-warmup", "-1"}};
        final String[] why = {"--rate", "--journal", "unknown wait strategy", "--profile", "--accounts",
            "unknown option", "a value is missing", "--layout", "--jit-warmup"};
        for (int i = 0; i < bad.length; i++) {
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int status = BenchMain.run(bad[i], new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, status, String.join(" ", bad[i]));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(why[i]), err.toString(StandardCharsets.UTF_8));
        }
    }
}
