package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code perpcore} command line run in-process ({@link Main#run}): exit statuses, stdout and stderr. */
class ScenarioCommandTest {
    private static final String GOOD_PREFIX = """
        time 2025-10-10T14:00:00Z
        market BTCUSDT tick=0.1 step=0.001
        # a comment, then a blank line

        deposit alice 1000
        """;

    @TempDir
    Path tmp;

    /** A bad line stops the run before anything executes: exact message, status 2, no output, no journal. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
        order alice BTCUSDT buy limit 1                  | line 6: expected: order ACCOUNT SYMBOL SIDE limit QTY PRICE [options]
        frobnicate alice                                 | line 6: unknown command 'frobnicate' (known: time, advance, market, bracket, deposit, withdraw, index, mark, leverage, margin, isolated-margin, insurance, order, cancel, cancel-all, amend, query)
        deposit alice 1e3                                | line 6: amount: '1e3' is not a plain decimal number
        order alice BTCUSDT buy limit 1 100 tif=DAY      | line 6: tif 'DAY' is not one of GTC, IOC, FOK, GTX
        order alice BTCUSDT buy limit 1 100 colour=blue  | line 6: unknown option 'colour=blue'
        time 2025-10-10T13:59:59Z                        | line 6: time may only move forward (2025-10-10T13:59:59Z is before the clock, 2025-10-10T14:00:00Z)
        advance 1fortnight                               | line 6: '1fortnight' is not a duration like 500ms, 30s, 5m, 8h
        """)
    void malformedLineStopsTheRunWithItsLineNumber(String badLine, String expectedError) throws IOException {
        final Path script = write("bad.scn", GOOD_PREFIX + badLine + "\ndeposit alice 1\n");
        final Path journal = tmp.resolve("journal");

        final CliRun run = CliRun.of("scenario", script.toString(), "--journal", journal.toString());

        assertAll(
            () -> assertEquals(2, run.status(), run::describe),
            () -> assertEquals(expectedError + System.lineSeparator(), run.stderr(), "stderr is exactly 'line N: why'"),
            () -> assertEquals(0, run.stdout().length, () -> "nothing on stdout, got: " + run.stdoutText()),
            () -> assertFalse(Files.exists(journal), "no journal is created for a script that does not parse"));
    }

    @Test
    void missingFileIsAUsageError() {
        final Path missing = tmp.resolve("no-such-script.scn");

        final CliRun run = CliRun.of("scenario", missing.toString());

        assertEquals(2, run.status(), run::describe);
        assertTrue(run.stderr().startsWith("perpcore: cannot read " + missing), run::describe);
        assertEquals(0, run.stdout().length, run::describe);
    }

    @Test
    void scenarioWithoutAFileShowsItsUsage() {
        final CliRun run = CliRun.of("scenario");

        assertEquals(2, run.status(), run::describe);
        assertTrue(run.stderr().startsWith("usage: perpcore scenario FILE"), run::describe);
    }

    @Test
    void unknownLayoutIsAUsageError() throws IOException {
        final Path script = write("ok.scn", GOOD_PREFIX);

        final CliRun run = CliRun.of("scenario", script.toString(), "--layout", "sideways");

        assertEquals(2, run.status(), run::describe);
        assertEquals("perpcore: --layout must be fused or split, not 'sideways'" + System.lineSeparator(), run.stderr());
        assertEquals(0, run.stdout().length, run::describe);
    }

    @Test
    void unknownCommandIsAUsageError() {
        final CliRun run = CliRun.of("frobnicate");

        assertEquals(2, run.status(), run::describe);
        assertTrue(run.stderr().contains("unknown command 'frobnicate'"), run::describe);
        assertEquals(0, run.stdout().length, run::describe);
    }

    @Test
    void noCommandPrintsTheHelpOnStderr() {
        final CliRun run = CliRun.of();

        assertEquals(2, run.status(), run::describe);
        assertTrue(run.stderr().contains("usage: bin/perpcore COMMAND"), run::describe);
    }

    @Test
    void helpListsTheCommands() {
        final CliRun run = CliRun.of("help");

        assertEquals(0, run.status(), run::describe);
        final String help = run.stdoutText();
        for (String command : List.of("demo", "report JOURNAL", "why JOURNAL ACCOUNT", "whatif JOURNAL", "example",
            "scenario FILE", "--journal DIR", "--layout fused|split", "env", "help")) {
            assertTrue(help.contains(command), () -> "help mentions '" + command + "':\n" + help);
        }
    }

    @Test
    void exampleScenarioPrintsJsonLinesWithTradesAndRejects() {
        final CliRun run = CliRun.of("example");

        assertEquals(0, run.status(), run::describe);
        final List<String> lines = run.stdoutText().lines().toList();
        assertFalse(lines.isEmpty(), run::describe);
        for (String line : lines) {
            assertTrue(line.startsWith("{\"seq\":") && line.endsWith("}"), () -> "a JSON object per line: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"TRADE\"")), "at least one TRADE");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"REJECT\"")), "at least one REJECT");
    }

    @Test
    void exampleScenarioRunsTheSameEveryTime() {
        final CliRun first = CliRun.of("example");
        final CliRun second = CliRun.of("example", "--layout", "split");

        assertEquals(0, first.status(), first::describe);
        assertEquals(0, second.status(), second::describe);
        GoldenFiles.assertSameBytes("a second example run", first.stdout(), second.stdout());
    }

    @Test
    void theSameScriptTwiceGivesTheSameBytes() throws IOException {
        final Path script = GoldenFiles.dir().resolve("self_trade.scn");

        final CliRun first = CliRun.of("scenario", script.toString());
        final CliRun second = CliRun.of("scenario", script.toString(), "--journal", tmp.resolve("journal").toString());

        assertEquals(0, first.status(), first::describe);
        assertEquals(0, second.status(), second::describe);
        assertTrue(first.stdout().length > 0, "the script prints events");
        GoldenFiles.assertSameBytes("a second run of " + script.getFileName(), first.stdout(), second.stdout());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    @Test
    void marketConfigurationRunsFirstAndOnlyHoldsMarkets() throws IOException {
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final Path config = root.resolve("config/markets.scn");
        final Path script = write("uses.scn", "deposit alice 1000\nquery account alice\n");
        final CliRun run = CliRun.of("scenario", script.toString(), "--markets", config.toString());
        final String out = new String(run.stdout(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, run.status(), run.stderr());
        assertTrue(out.contains("\"type\":\"BRACKET\",\"symbol\":\"BTCUSDT\",\"bracket\":10"), out);

        final Path bad = write("bad-markets.scn", "market X tick=1 step=1\ndeposit alice 5\n");
        final CliRun refused = CliRun.of("scenario", script.toString(), "--markets", bad.toString());
        assertEquals(2, refused.status());
        assertTrue(refused.stderr().contains("line 2: only market and bracket lines"), refused.stderr());

        final Path broken = write("broken.scn", "deposit alice 1000\nfrobnicate\n");
        final CliRun lineNumbers = CliRun.of("scenario", broken.toString(), "--markets", config.toString());
        assertEquals(2, lineNumbers.status());
        assertTrue(lineNumbers.stderr().startsWith("line 2: unknown command"), lineNumbers.stderr());
    }
}
