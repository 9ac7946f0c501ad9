package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo}, {@code why} and {@code whatif} on the small cascade, and their answers to bad input. */
class PostMortemCliTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoNamesItsReportAndJournal() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final String out = c.demo.stdoutText();

        assertTrue(out.contains("report:  " + c.run.resolve("report.html")), c.demo::describe);
        assertTrue(out.contains("journal: " + c.journal), c.demo::describe);
        assertTrue(out.contains("population: 2,000 traders (seed 7)"), c.demo::describe);
        assertTrue(c.demo.stderr().contains("UTC of the day") || c.demo.stderr().contains("commands through the"),
            "progress on stderr:\n" + c.demo.stderr());
        final String html = Files.readString(c.run.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"), "an HTML page");
        for (String forbidden : List.of("http://", "https://", "<script src", "<link", "@import", "url(")) {
            assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains(forbidden),
                "self-contained: no '" + forbidden + "'");
        }
        for (String chart : List.of("chart-price", "chart-liquidations", "chart-oi", "chart-fund", "chart-adl",
            "chart-funding", "chart-map", "chart-selling")) {
            assertTrue(html.contains("id=\"" + chart + "\""), "the report has " + chart);
        }
    }

    @Test
    void aSecondDemoGetsAFreshDirectory() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final Path parent = tmp.resolve("runs");
        Files.createDirectories(parent.resolve("demo-7-300"));
        final CliRun run = CliRun.of("demo", "--prices", c.prices.toString(), "--accounts", "300", "--seed", "7",
            "--out", parent.toString());

        assertEquals(0, run.status(), run::describe);
        assertTrue(Files.isRegularFile(parent.resolve("demo-7-300-2").resolve("report.html")), run::describe);
        assertEquals(List.of(), listing(parent.resolve("demo-7-300")), "the existing directory is left alone");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The account of the report's largest liquidation. */
    private static String largestLiquidated(SmallCascade c) throws IOException {
        final Matcher m = Pattern.compile("\"largestLiquidations\":\\[\\{\"account\":\"([^\"]+)\"")
            .matcher(Files.readString(c.run.resolve("summary.json")));
        assertTrue(m.find(), "the summary lists the largest liquidations");
        return m.group(1);
    }

    @Test
    void whyTellsALiquidatedAccountsStory() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final String account = largestLiquidated(c);
        final CliRun why = CliRun.of("why", c.journal.toString(), account);

        assertEquals(0, why.status(), why::describe);
        final List<String> lines = why.stdoutText().lines().toList();
        assertTrue(lines.get(0).startsWith("why: " + account + " (account "), why::describe);
        final int deposit = indexOf(lines, "deposit ");
        final int fill = indexOf(lines, ": TRADE ");
        final int call = indexOf(lines, ">>> below maintenance");
        final int liquidation = indexOf(lines, "LIQUIDATION fill");
        assertTrue(deposit > 0 && fill > deposit && call > fill && liquidation > call,
            "deposit, then the opening fill, then the margin call, then the liquidation:\n" + why.stdoutText());
        // the engine's figures at the margin call: the margin balance at or below maintenance (ratio >= 100 %)
        final Matcher ratio = Pattern.compile("margin ratio ([0-9.]+) %\\)").matcher(lines.get(call));
        assertTrue(ratio.find(), lines.get(call));
        assertTrue(Double.parseDouble(ratio.group(1)) >= 100, lines.get(call));
        // the ratios recomputed at the ticks before it: below 100 %, rising
        final List<Double> before = new ArrayList<>();
        for (int i = fill; i < call; i++) {
            final Matcher m = Pattern.compile("  ratio ([0-9.]+) %$").matcher(lines.get(i));
            if (m.find()) {
                before.add(Double.parseDouble(m.group(1)));
            }
        }
        assertFalse(before.isEmpty(), "margin ratio samples before the call:\n" + why.stdoutText());
        assertTrue(before.stream().allMatch(r -> r < 100), "below maintenance only at the call: " + before);
        assertEquals(before.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
            before.get(before.size() - 1), "the highest just before the call: " + before);
        assertTrue(lines.get(liquidation).contains("liquidation fee "), lines.get(liquidation));
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void whyOfAnAccountThatSurvived() {
        final SmallCascade c = SmallCascade.get();
        final CliRun why = CliRun.of("why", c.journal.toString(), "mm1");

        assertEquals(0, why.status(), why::describe);
        assertTrue(why.stdoutText().startsWith("why: mm1 (account "), why::describe);
        final String first = why.stdoutText().lines().findFirst().orElseThrow();
        assertTrue(first.contains(": never below maintenance"), first);
        assertFalse(why.stdoutText().contains(">>> below maintenance"), "no margin call in its story");
    }

    @Test
    void whyOfAnUnknownAccountSaysSo() {
        final SmallCascade c = SmallCascade.get();
        final CliRun why = CliRun.of("why", c.journal.toString(), "nobody");

        assertEquals(2, why.status(), why::describe);
        assertTrue(why.stderr().contains("no account 'nobody'"), why::describe);
        assertEquals(0, why.stdout().length);
    }

    @Test
    void whatIfWithTheSameParametersChangesNothing() {
        final SmallCascade c = SmallCascade.get();
        // 0.0125 is the engine's default liquidation fee, which the cascade's market uses
        final CliRun same = CliRun.of("whatif", c.journal.toString(), "--set", "market.BTCUSDT.liquidationFee=0.0125");

        assertEquals(0, same.status(), same::describe);
        final List<String> rows = same.stdoutText().lines().skip(2).toList();
        assertEquals(20, rows.size(), same::describe);
        for (String row : rows) {
            assertTrue(row.endsWith("unchanged"), "the replay reproduces the run: " + row);
        }
    }

    @Test
    void aLowerLeverageCapLiquidatesFewerAccounts() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final Path out = tmp.resolve("whatif");
        final CliRun run = CliRun.of("whatif", c.journal.toString(), "--set", "market.BTCUSDT.maxLeverage=10",
            "--set=market.BTCUSDT.insuranceFund=1000000", "--out", out.toString());

        assertEquals(0, run.status(), run::describe);
        final String text = run.stdoutText();
        assertTrue(text.startsWith("what if: market.BTCUSDT.maxLeverage=10, market.BTCUSDT.insuranceFund=1000000\n"),
            run::describe);
        final long[] accounts = figures(text, "accounts liquidated");
        assertTrue(accounts[1] < accounts[0] / 2, "a 10x cap keeps most traders out of liquidation: " + accounts[0]
            + " -> " + accounts[1]);
        final long[] fund = figures(text, "insurance fund at the start");
        assertEquals(1_000_000, fund[1], run::describe);
        final String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("id=\"whatif\"") && html.contains("What if: market.BTCUSDT.maxLeverage=10"),
            "the report has the comparison");
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"whatIf\":{\"settings\":["),
            "and the summary");
    }

    @Test
    void aCircuitBreakerHalts() {
        final SmallCascade c = SmallCascade.get();
        final CliRun run = CliRun.of("whatif", c.journal.toString(), "--set", "market.BTCUSDT.haltMove=0.05",
            "--set", "market.BTCUSDT.haltWindow=5m", "--set", "market.BTCUSDT.haltFor=2m");

        assertEquals(0, run.status(), run::describe);
        final long[] halts = figures(run.stdoutText(), "circuit-breaker halts");
        assertEquals(0, halts[0], run::describe);
        assertTrue(halts[1] > 0, "a 5 % move in 5 minutes halts the crash: " + run.stdoutText());
    }

    @Test
    void higherMaintenanceMarginsLiquidateMoreAndBothWaysOfSayingSoAgree() {
        final SmallCascade c = SmallCascade.get();
        final CliRun scaled = CliRun.of("whatif", c.journal.toString(), "--set", "market.BTCUSDT.mmrScale=2");
        // the cascade's Binance tiers with every maintenance rate doubled (the last one capped below 1)
        final CliRun tiers = CliRun.of("whatif", c.journal.toString(), "--set", "market.BTCUSDT.brackets="
            + "0:0.008:125/50000:0.01:100/250000:0.02:50/1000000:0.05:20/10000000:0.1:10/20000000:0.2:5/"
            + "50000000:0.25:4/100000000:0.3:3/200000000:0.5:2/300000000:0.99999999:1");

        assertEquals(0, scaled.status(), scaled::describe);
        assertEquals(0, tiers.status(), tiers::describe);
        final long[] a = figures(scaled.stdoutText(), "accounts liquidated");
        assertTrue(a[1] > a[0], "twice the maintenance margin liquidates more: " + a[0] + " -> " + a[1]);
        assertEquals(scaled.stdoutText().lines().skip(1).toList(), tiers.stdoutText().lines().skip(1).toList(),
            "the same tiers given either way give the same run");
    }

    /** The as-run and what-if values of a row of the side-by-side table (whole numbers, separators removed). */
    private static long[] figures(String text, String label) {
        for (String line : text.lines().toList()) {
            if (line.startsWith(label + " ")) {
                final String[] cells = line.substring(label.length()).trim().split("\\s+");
                return new long[] {whole(cells[0]), whole(cells[1])};
            }
        }
        throw new AssertionError("no row '" + label + "' in\n" + text);
    }

    private static long whole(String cell) {
        final String digits = cell.replace(",", "");
        final int point = digits.indexOf('.');
        return Long.parseLong(point < 0 ? digits : digits.substring(0, point));
    }

    @Test
    void whatIfRefusesBadSettings() {
        final SmallCascade c = SmallCascade.get();
        final String journal = c.journal.toString();

        final CliRun unknown = CliRun.of("whatif", journal, "--set", "market.BTCUSDT.maxLevrage=20");
        assertEquals(2, unknown.status(), unknown::describe);
        assertTrue(unknown.stderr().contains("unknown key 'maxLevrage'; valid keys: ") && unknown.stderr()
            .contains("maxLeverage") && unknown.stderr().contains("haltMove") && unknown.stderr().contains("brackets")
            && unknown.stderr().contains("insuranceFund"), unknown::describe);

        final CliRun badValue = CliRun.of("whatif", journal, "--set", "market.BTCUSDT.haltMove=fast");
        assertEquals(2, badValue.status(), badValue::describe);
        assertTrue(badValue.stderr().contains("'market.BTCUSDT.haltMove=fast': "), badValue::describe);

        final CliRun shape = CliRun.of("whatif", journal, "--set", "maxLeverage=20");
        assertEquals(2, shape.status(), shape::describe);
        assertTrue(shape.stderr().contains("expected market.SYMBOL.KEY=VALUE"), shape::describe);

        final CliRun market = CliRun.of("whatif", journal, "--set", "market.ETHUSDT.maxLeverage=20");
        assertEquals(2, market.status(), market::describe);
        assertTrue(market.stderr().contains("the journal has no market ETHUSDT (it has: BTCUSDT)"), market::describe);

        final CliRun tiers = CliRun.of("whatif", journal, "--set", "market.BTCUSDT.brackets=0:0.004");
        assertEquals(2, tiers.status(), tiers::describe);
        assertTrue(tiers.stderr().contains("expected FLOOR:MMR:MAXLEVERAGE"), tiers::describe);

        final CliRun none = CliRun.of("whatif", journal);
        assertEquals(2, none.status(), none::describe);
        for (CliRun r : List.of(unknown, badValue, shape, market, tiers, none)) {
            assertEquals(0, r.stdout().length, "nothing on stdout: " + r.describe());
            assertFalse(r.stderr().contains("Exception"), "no stack trace: " + r.describe());
        }
    }

    @Test
    void demoRefusesAMissingOrMalformedPriceFile() throws IOException {
        final CliRun missing = CliRun.of("demo", "--prices", tmp.resolve("nope.csv").toString(), "--out",
            tmp.toString());
        assertEquals(2, missing.status(), missing::describe);
        assertTrue(missing.stderr().contains("no price file at " + tmp.resolve("nope.csv")), missing::describe);

        final Path bad = tmp.resolve("bad.csv");
        final List<String> lines = new ArrayList<>(SmallCascade.crashKlines());
        lines.set(3, lines.get(3).replaceFirst(",[0-9]+\\.[0-9],", ",abc,"));
        Files.write(bad, lines, StandardCharsets.UTF_8);
        final CliRun malformed = CliRun.of("demo", "--prices", bad.toString(), "--out", tmp.toString());
        assertEquals(2, malformed.status(), malformed::describe);
        assertTrue(malformed.stderr().contains(bad + ": line 4: "), malformed::describe);

        final CliRun accounts = CliRun.of("demo", "--accounts", "many");
        assertEquals(2, accounts.status(), accounts::describe);
        final CliRun every = CliRun.of("demo", "--prices", SmallCascade.get().prices.toString(), "--snapshot-every",
            "0", "--out", tmp.toString());
        assertEquals(2, every.status(), every::describe);
        assertEquals("perpcore demo: --snapshot-every must be a positive number of commands, not '0'"
            + System.lineSeparator(), every.stderr());
        for (CliRun r : List.of(missing, malformed, accounts, every)) {
            assertEquals(0, r.stdout().length, "nothing on stdout: " + r.describe());
            assertFalse(r.stderr().contains("Exception"), "no stack trace: " + r.describe());
        }
        assertEquals(List.of("bad.csv"), listing(tmp), "no run directory is made for bad input");
    }

    @Test
    void reportAndWhyRefuseWhatIsNotAJournal() throws IOException {
        final CliRun none = CliRun.of("report", tmp.resolve("absent").toString());
        assertEquals(2, none.status(), none::describe);
        assertTrue(none.stderr().contains("no journal at"), none::describe);

        Files.createDirectories(tmp.resolve("empty"));
        final CliRun empty = CliRun.of("report", tmp.resolve("empty").toString());
        assertEquals(2, empty.status(), empty::describe);
        assertTrue(empty.stderr().contains("has no event journal"), empty::describe);

        final CliRun why = CliRun.of("why", tmp.resolve("empty").toString(), "u1");
        assertEquals(2, why.status(), why::describe);
        final CliRun usage = CliRun.of("report");
        assertEquals(2, usage.status(), usage::describe);
        assertTrue(usage.stderr().contains(ReportCommand.USAGE), usage::describe);
        final CliRun time = CliRun.of("report", SmallCascade.get().journal.toString(), "--map-time", "noon");
        assertEquals(2, time.status(), time::describe);
        assertTrue(time.stderr().contains("--map-time must be an ISO-8601 time"), time::describe);
        for (CliRun r : List.of(none, empty, why, usage, time)) {
            assertFalse(r.stderr().contains("Exception"), "no stack trace: " + r.describe());
        }

        Files.createDirectories(tmp.resolve("events-only").resolve("events"));
        final CliRun eventsOnly = CliRun.of("report", tmp.resolve("events-only").toString());
        assertEquals(2, eventsOnly.status(), eventsOnly::describe);
        assertEquals("perpcore report: " + tmp.resolve("events-only") + " is not a Perpcore journal (no commands/ in"
            + " it)" + System.lineSeparator(), eventsOnly.stderr());
        final Path junk = tmp.resolve("junk");
        Files.createDirectories(junk.resolve("commands"));
        Files.createDirectories(junk.resolve("events"));
        Files.writeString(junk.resolve("events").resolve("20251010.cq4"), "junk, not a queue file");
        for (String command : List.of("report", "why")) {
            final CliRun r = command.equals("why") ? CliRun.of("why", junk.toString(), "u1")
                : CliRun.of("report", junk.toString());
            assertEquals(2, r.status(), r::describe);
            assertTrue(r.stderr().contains("perpcore " + command + ": events: the queue's files cannot be read ("),
                r::describe);
            assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.describe());
        }
    }
}
