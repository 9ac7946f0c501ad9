package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code perpcore cascade}: its report, its errors for missing and malformed price files and bad options. */
class CascadeCommandTest {
    /** 2025-10-10T20:00:00Z */
    private static final long T0 = 1_760_126_400_000L;

    @TempDir
    Path tmp;

    /** A kline file: 3 calm minutes at 100,000, 8 minutes falling 2 % each, 3 calm at the bottom. */
    private Path crashFile() throws IOException {
        final StringBuilder csv = new StringBuilder("open_time,open,high,low,close,volume\n");
        double price = 100_000;
        for (int i = 0; i < 14; i++) {
            final double next = i >= 3 && i < 11 ? price * 0.98 : price;
            final String o = String.format("%.1f", price);
            final String c = String.format("%.1f", next);
            csv.append(T0 + i * 60_000L).append(',').append(o).append(',')
                .append(String.format("%.1f", Math.max(price, next) + 5)).append(',')
                .append(String.format("%.1f", Math.min(price, next) - 5)).append(',').append(c).append(",12.5\n");
            price = Double.parseDouble(c);
        }
        return Files.writeString(tmp.resolve("crash.csv"), csv);
    }

    @Test
    void reportsTheCascadeOfASmallPopulation() throws IOException {
        final CliRun run = CliRun.of("cascade", "--prices", crashFile().toString(), "--accounts", "800", "--seed", "3");
        assertEquals(0, run.status(), run::describe);
        final String out = run.stdoutText();
        assertAll(
            () -> assertTrue(out.startsWith("population: 800 traders (seed 3), 4 market makers"), out),
            () -> assertTrue(out.contains("prices: 14 minutes from 2025-10-10T20:00:00Z, open 100000"), out),
            () -> assertTrue(out.contains("insurance fund $insurance-BTCUSDT: start "), out),
            () -> assertTrue(out.contains("liquidations per minute (UTC"), out),
            () -> assertTrue(out.contains("rejected commands 0"), out),
            () -> assertTrue(run.stderr().contains("perpcore cascade: 800 traders, seed 3, 14 minutes of crash.csv"),
                run.stderr()));
        final Matcher m = Pattern.compile("liquidations: ([0-9,]+) of ([0-9,]+) accounts").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Integer.parseInt(m.group(2).replace(",", "")) > 200, "a 15 % crash liquidates many: " + out);
    }

    @Test
    void jsonHasThePopulationAndTheReportAndTheSameSeedTheSameDigest() throws IOException {
        final Path prices = crashFile();
        final CliRun a = CliRun.of("cascade", "--prices", prices.toString(), "--accounts", "300", "--json");
        final CliRun b = CliRun.of("cascade", "--prices", prices.toString(), "--accounts", "300", "--json",
            "--layout", "split");
        assertEquals(0, a.status(), a::describe);
        final String json = a.stdoutText().trim();
        assertTrue(json.startsWith("{\"population\":{\"traders\":300,\"seed\":20251010,\"makers\":4,"), json);
        assertTrue(json.contains(",\"report\":{\"commands\":") && json.endsWith("]}}"), json);
        assertEquals(a.stdoutText(), b.stdoutText(), "the same run whatever the pipeline's layout");
    }

    @Test
    void aMissingPriceFileIsAClearError() {
        final Path missing = tmp.resolve("nope.csv");
        final CliRun run = CliRun.of("cascade", "--prices", missing.toString());
        assertEquals(2, run.status(), run::describe);
        assertEquals("perpcore cascade: no price file at " + missing + System.lineSeparator(), run.stderr());
        assertEquals(0, run.stdout().length);
    }

    @Test
    void aMalformedPriceFileNamesItsLine() throws IOException {
        final Path bad = Files.writeString(tmp.resolve("bad.csv"), "open_time,open,high,low,close,volume\n"
            + T0 + ",100,101,99,100,1\n" + (T0 + 60_000) + ",100,99,101,100,1\n");
        final CliRun run = CliRun.of("cascade", "--prices", bad.toString());
        assertEquals(2, run.status(), run::describe);
        assertEquals("perpcore cascade: " + bad + ": line 3: high 99 is below low 101" + System.lineSeparator(), run.stderr());
        assertEquals(0, run.stdout().length);
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        final Path prices = crashFile();
        final CliRun letters = CliRun.of("cascade", "--prices", prices.toString(), "--accounts", "many");
        assertEquals(2, letters.status(), letters::describe);
        assertTrue(letters.stderr().startsWith("perpcore cascade: --accounts and --seed take whole numbers"),
            letters.stderr());
        final CliRun zero = CliRun.of("cascade", "--prices", prices.toString(), "--accounts", "0");
        assertEquals(2, zero.status(), zero::describe);
        assertEquals("perpcore cascade: accounts must be 1 to 2,000,000: 0" + System.lineSeparator(), zero.stderr());
    }

    @Test
    void helpListsCascade() {
        final String help = CliRun.of("help").stdoutText();
        assertTrue(help.contains("cascade") && help.contains("[--prices FILE] [--accounts N] [--seed S]"), help);
    }

    /** The default price file is the real day, found relative to the project root (skipped when it is absent). */
    @Test
    void theRealDayByDefault() {
        final Path day = CascadeInput.projectRoot().resolve(CascadeInput.DEFAULT_PRICES).normalize();
        Assumptions.assumeTrue(Files.isRegularFile(day), "skipped: " + day + " (the real 2025-10-10 minutes) is absent");
        final CliRun run = CliRun.of("cascade", "--accounts", "2000");
        assertEquals(0, run.status(), run::describe);
        final String out = run.stdoutText();
        assertTrue(out.contains("prices: 600 minutes from 2025-10-10T14:00:00Z, open 121609.1, low 101516.5 at"
            + " 2025-10-10T21:20:00Z, close 112714.9"), out);
        final Matcher busiest = Pattern.compile("busiest minute (\\d\\d:\\d\\d)").matcher(out);
        assertTrue(busiest.find(), out);
        assertTrue(busiest.group(1).compareTo("20:50") >= 0 && busiest.group(1).compareTo("21:21") < 0,
            "the busiest minute is in the main cascade: " + busiest.group(1));
    }
}
