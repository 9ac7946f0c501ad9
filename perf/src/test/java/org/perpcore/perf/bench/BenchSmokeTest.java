package org.perpcore.perf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of {@code bin/perpcore bench --profile quick} (shortened to two seconds at a rate any machine
 * carries): the harness runs through the journaled pipeline and its outputs are well-formed. summary.json parses
 * and agrees with the hlog files read back by HdrHistogram's own reader, the liquidation path was exercised, the
 * HTML page renders in headless Chromium with its plots drawn. No timing is asserted.
 */
class BenchSmokeTest {
    @TempDir
    static Path dir;
    static Path out;
    static String table;

    @BeforeAll
    static void run() throws Exception {
        out = dir.resolve("quick");
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final int status = BenchMain.run(new String[] {"--profile", "quick", "--accounts", "4000", "--rate", "8000",
            "--duration", "2", "--warmup", "0.5", "--out", out.toString()},
            new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        table = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(table);
        assertEquals(0, status);
    }

    @Test
    void summaryIsWellFormedAndCarriesTheEnvironment() throws Exception {
        final JsonNode s = BenchMain.JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("perpcore-bench/1", s.get("format").asText());
        final JsonNode env = s.get("environment");
        for (String key : new String[] {"cpu", "cores", "javaVersion", "javaVendor", "jvmFlags", "waitStrategy",
            "journal", "profile", "rate"}) {
            assertFalse(env.path(key).isMissingNode() || env.path(key).isNull(), key);
        }
        assertTrue(env.has("gitRevision"));
        assertTrue(env.get("jvmFlags").toString().contains("-Dchronicle.analytics.disable=true"));
        assertEquals("quick", s.get("config").get("profile").asText());
        assertEquals("on", s.get("config").get("journal").asText());
        assertEquals(0, s.get("run").get("rejects").asLong());
        final JsonNode liq = s.get("liquidation");
        final long victims = s.get("run").get("victims").asLong();
        assertEquals(victims, liq.get("liquidatedAccounts").asLong(), "the walk liquidates every victim");
        assertTrue(liq.get("bookFills").asLong() + liq.get("insuranceTakeoverFills").asLong()
            + liq.get("adlFills").asLong() >= victims);
        final JsonNode paths = s.get("paths");
        final long measured = s.get("run").get("commandsMeasured").asLong();
        final long ticks = paths.get("tick_cascade_end").get("count").asLong()
            + paths.get("tick_no_liquidation").get("count").asLong();
        assertEquals(measured, paths.get("order_ack").get("count").asLong() + ticks, "every command in one path");
        assertEquals(paths.get("tick_liquidation_order").get("count").asLong(),
            paths.get("tick_cascade_end").get("count").asLong());
        assertEquals(victims, paths.get("liquidation_cost").get("count").asLong(), "one cost per liquidated account");
        assertEquals(paths.get("order_ack").get("count").asLong(), paths.get("engine_order").get("count").asLong(),
            "an engine time for every background command");
        assertEquals(paths.get("tick_liquidation_order").get("count").asLong(),
            paths.get("tick_engine_adl").get("count").asLong() + paths.get("tick_engine_no_adl").get("count").asLong(),
            "every liquidating tick's engine time, with ADL or without");
        assertTrue(paths.get("tick_engine_adl").get("count").asLong() > 0, "some ticks reached ADL");
        assertEquals("fused", s.get("config").get("layout").asText());
        for (JsonNode p : paths) {
            if (p.get("count").asLong() > 0) {
                assertTrue(p.get("p50").asLong() <= p.get("p99").asLong() && p.get("p99").asLong()
                    <= p.get("max").asLong(), p.toString());
            }
        }
        assertTrue(table.contains("order -> ack") && table.contains("p99.99"), table);
    }

    @Test
    void hlogFilesReadBackWithHdrHistogramsReaderAndMatchTheSummary() throws Exception {
        final JsonNode paths = BenchMain.JSON.readTree(out.resolve("summary.json").toFile()).get("paths");
        int read = 0;
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) paths::fields) {
            final File f = out.resolve(e.getValue().get("hlog").asText()).toFile();
            assertTrue(f.isFile(), f.toString());
            long count = 0;
            long max = 0;
            int intervals = 0;
            final HistogramLogReader reader = new HistogramLogReader(f);
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                final org.HdrHistogram.Histogram hist = (org.HdrHistogram.Histogram) h;
                count += hist.getTotalCount();
                max = Math.max(max, hist.getMaxValue());
                intervals++;
            }
            reader.close();
            assertTrue(intervals >= 1, f + ": no interval");
            assertEquals(e.getValue().get("count").asLong(), count, f.toString());
            if (count > 0) {
                assertEquals(e.getValue().get("max").asLong(), max, f.toString());
            }
            read++;
        }
        assertEquals(BenchPath.values().length, read);
    }

    @Test
    void reportRendersInHeadlessChromiumWithEveryPlotDrawn() throws Exception {
        final Path html = out.resolve("report.html");
        final String page = Files.readString(html, StandardCharsets.UTF_8);
        assertFalse(page.contains("http://") && page.replace("http://www.w3.org/2000/svg", "").contains("http://"),
            "the page must not reach the network");
        assertFalse(page.contains("https://"));
        Chromium.assumeInstalled();
        final String dom = Chromium.dumpDom(html);
        final Matcher m = Pattern.compile("data-check=\"ok:(\\d+):(\\d+)\"").matcher(dom);
        assertTrue(m.find(), "the report's check script did not run to its end (a script error?)");
        final JsonNode paths = BenchMain.JSON.readTree(out.resolve("summary.json").toFile()).get("paths");
        int measured = 0;
        for (JsonNode p : paths) {
            if (p.get("count").asLong() > 0) {
                measured++;
            }
        }
        assertEquals(1, Integer.parseInt(m.group(1)), "one distribution plot");
        assertEquals(measured, Integer.parseInt(m.group(2)), "one drawn line per measured path");
        final Path png = dir.resolve("report.png");
        Chromium.screenshot(html, png);
        assertTrue(Files.size(png) > 10_000, "screenshot");
    }
}
