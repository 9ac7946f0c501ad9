package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.scenario.EventJson;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioRunner;
import org.perpcore.journal.EventJournalReader;
import org.perpcore.journal.JournalFiles;
import org.perpcore.journal.JournalReader;

/**
 * Golden scenario tests: every script {@code src/test/resources/golden/NAME.scn} must print exactly the bytes of
 * {@code NAME.jsonl}, however it is run:
 * <ul>
 *   <li>straight on an engine, {@link ScenarioRunner#run} (no pipeline);</li>
 *   <li>through the real command line, {@code Main.run("scenario", NAME.scn, ...)}, with the fused and the split
 *       pipeline layout, each without and with {@code --journal DIR};</li>
 *   <li>and, for the journaled runs, the journal itself: its commands replayed on a fresh engine, and its
 *       recorded events, rendered the same way, give the same bytes again.</li>
 * </ul>
 * On a mismatch the failure names the first differing line and shows both versions of it.
 *
 * <p><b>Regenerating</b> after an intended change of behaviour or a new script:
 * <pre>
 * mvn -B -o verify -pl core,journal,gateway -Dtest=GoldenScenarioTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dperpcore.golden.update=true
 * </pre>
 * writes every {@code NAME.jsonl} into {@code gateway/src/test/resources/golden} from the command line's output
 * (fused layout), then runs the other variants against it. A golden file is only worth the hand check behind it:
 * read the diff line by line (prices, quantities, fees, who fills first, statuses) before committing it.
 */
class GoldenScenarioTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicNode> goldenScenarios() throws IOException {
        final List<DynamicNode> scenarios = new ArrayList<>();
        for (Path script : GoldenFiles.scripts()) {
            final List<DynamicTest> runs = new ArrayList<>();
            if (GoldenFiles.updating()) {
                runs.add(dynamicTest("regenerate " + GoldenFiles.expectedOutput(script).getFileName(),
                    () -> regenerate(script)));
            }
            runs.add(dynamicTest("direct engine (ScenarioRunner)", () -> check(script, "ScenarioRunner.run", direct(script))));
            for (String layout : new String[] {"fused", "split"}) {
                runs.add(dynamicTest("pipeline, " + layout + " layout",
                    () -> check(script, "scenario --layout " + layout, pipeline(script, layout))));
                runs.add(dynamicTest("pipeline, " + layout + " layout, journaled",
                    () -> checkJournaled(script, layout)));
            }
            scenarios.add(dynamicContainer(script.getFileName().toString(), runs.stream()));
        }
        return scenarios.stream();
    }

    private static void regenerate(Path script) throws IOException {
        Files.write(GoldenFiles.expectedOutput(script), pipeline(script, "fused"));
    }

    private static void check(Path script, String how, byte[] actual) throws IOException {
        GoldenFiles.assertSameBytes(script.getFileName() + " (" + how + ")", GoldenFiles.readExpected(script), actual);
    }

    private void checkJournaled(Path script, String layout) throws IOException {
        final Path journal = tmp.resolve(script.getFileName() + "-" + layout);
        final CliRun run = CliRun.of("scenario", script.toString(), "--layout", layout, "--journal", journal.toString());
        assertEquals(0, run.status(), run::describe);
        assertEquals("", run.stderr(), "nothing on stderr");
        check(script, "scenario --layout " + layout + " --journal", run.stdout());
        assertTrue(Files.isDirectory(journal.resolve(JournalFiles.COMMANDS)), "the command journal was written");
        check(script, "commands replayed from the " + layout + " journal", replayCommands(journal));
        check(script, "events read back from the " + layout + " journal", readEvents(journal));
    }

    private static byte[] direct(Path script) throws IOException, ScenarioException {
        final String out = ScenarioRunner.run(Files.readAllLines(script), new Engine());
        return out.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pipeline(Path script, String layout) {
        final CliRun run = CliRun.of("scenario", script.toString(), "--layout", layout);
        assertEquals(0, run.status(), run::describe);
        assertEquals("", run.stderr(), "nothing on stderr");
        return run.stdout();
    }

    /** Applies the journaled commands to a fresh engine, checking they carry the sequence numbers 1, 2, 3... */
    private static byte[] replayCommands(Path journal) {
        final Engine engine = new Engine();
        final EventJson json = new EventJson();
        final Command command = new Command();
        final StringBuilder out = new StringBuilder();
        long expectedSeq = 1;
        try (JournalReader reader = new JournalReader(journal)) {
            while (reader.next(command)) {
                assertEquals(expectedSeq++, command.seq, "journaled sequence numbers have no gap");
                engine.apply(command);
                json.render(command.seq, command.timestampMs, command.events(), out);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Renders the event journal, read back with its reader (which checks every entry). */
    private static byte[] readEvents(Path journal) {
        final EventJson json = new EventJson();
        final StringBuilder out = new StringBuilder();
        try (EventJournalReader reader = new EventJournalReader(journal)) {
            while (reader.next()) {
                json.render(reader.seq(), reader.timestampMs(), reader.events(), 0, reader.length(), out);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
