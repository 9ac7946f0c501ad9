package org.perpcore.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.scenario.EventJson;
import org.perpcore.core.scenario.ScenarioParser;
import org.perpcore.core.scenario.ScenarioRunner;

/** The pipeline gives exactly what driving the engine directly gives, in every layout and wait strategy. */
@Timeout(120)
class PipelineTest {
    private static List<String> script() {
        final List<String> lines = new ArrayList<>();
        lines.add("time 2025-10-10T20:00:00Z");
        lines.add("market BTCUSDT tick=0.1 step=0.001");
        for (int a = 0; a < 20; a++) {
            lines.add("deposit u" + a + " 100000");
        }
        final java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < 3000; i++) {
            final String account = "u" + random.nextInt(20);
            final int tick = 1000 + random.nextInt(-30, 31);
            switch (random.nextInt(5)) {
                case 0, 1 -> lines.add("order " + account + " BTCUSDT " + (random.nextBoolean() ? "buy" : "sell")
                    + " limit " + (1 + random.nextInt(20)) / 10.0 + " " + tick / 10.0 + " id=o" + i);
                case 2 -> lines.add("cancel " + account + " BTCUSDT o" + random.nextInt(Math.max(1, i)));
                case 3 -> lines.add("order " + account + " BTCUSDT " + (random.nextBoolean() ? "buy" : "sell")
                    + " limit 0.5 " + tick / 10.0 + " tif=IOC");
                default -> lines.add("advance 1s");
            }
        }
        return lines;
    }

    private static String runThroughPipeline(List<String> lines, PipelineConfig config) throws Exception {
        final StringBuilder out = new StringBuilder();
        final EventJson json = new EventJson();
        final OutputStage collect = (c, endOfBatch) -> json.render(c.seq, c.timestampMs, c.events(), out);
        final ScenarioParser parser = new ScenarioParser();
        final Command command = new Command();
        try (Pipeline pipeline = new Pipeline(new Engine(), config, CommandStage.NONE, collect)) {
            for (int i = 0; i < lines.size(); i++) {
                if (parser.parse(lines.get(i), i + 1, command)) {
                    pipeline.publish(command);
                }
            }
        }
        return out.toString();
    }

    @Test
    void everyLayoutAndWaitStrategyMatchesTheDirectRun() throws Exception {
        final List<String> lines = script();
        final String direct = ScenarioRunner.run(lines, new Engine());
        assertTrue(direct.contains("\"type\":\"TRADE\""));
        for (String wait : WaitStrategies.NAMES) {
            for (boolean fused : new boolean[] {true, false}) {
                for (boolean outputHere : new boolean[] {false, true}) {
                    final PipelineConfig config = PipelineConfig.DEFAULT.withWaitStrategy(wait).withFused(fused)
                        .withRingSize(256).withOutputOnEngineThread(outputHere);
                    assertEquals(direct, runThroughPipeline(lines, config), wait + (fused ? " fused" : " split")
                        + (outputHere ? ", output on the engine thread" : ""));
                }
            }
        }
    }

    /** In every layout the output stage sees a command only once the journal stage has ended its batch. */
    @Test
    void theOutputStageSeesOnlyBatchesTheJournalStageFinished() {
        for (int layout = 0; layout < 4; layout++) {
            final AtomicLong journaledThrough = new AtomicLong();
            final AtomicLong seen = new AtomicLong();
            final AtomicLong early = new AtomicLong();
            final CommandStage journal = (c, endOfBatch) -> {
                if (endOfBatch) {
                    journaledThrough.set(c.seq);
                }
            };
            final OutputStage output = (c, endOfBatch) -> {
                seen.incrementAndGet();
                if (c.seq > journaledThrough.get()) {
                    early.incrementAndGet();
                }
            };
            final PipelineConfig config = PipelineConfig.DEFAULT.withFused(layout % 2 == 0)
                .withOutputOnEngineThread(layout >= 2).withRingSize(1024);
            final Command c = new Command();
            c.type = org.perpcore.core.model.CommandType.TICK;
            try (Pipeline pipeline = new Pipeline(new Engine(), config, journal, output)) {
                for (int i = 0; i < 200_000; i++) {
                    pipeline.publish(c);
                }
            }
            assertEquals(200_000, seen.get(), "layout " + layout);
            assertEquals(0, early.get(), "layout " + layout + ": commands seen before their batch was journaled");
        }
    }

    @Test
    void closeRightAfterPublishingProcessesEverything() throws Exception {
        for (int run = 0; run < 50; run++) {
            final AtomicLong seen = new AtomicLong();
            final Pipeline pipeline = new Pipeline(new Engine(), PipelineConfig.DEFAULT.withFused(run % 2 == 0)
                .withOutputOnEngineThread(run % 4 >= 2), CommandStage.NONE, (c, endOfBatch) -> seen.incrementAndGet());
            final Command c = new Command();
            c.type = org.perpcore.core.model.CommandType.TICK;
            pipeline.publish(c);
            pipeline.publish(c);
            pipeline.close();
            assertEquals(2, seen.get(), "run " + run);
        }
    }

    @Test
    void closeReturnsOnlyAfterEveryStageShutDown() throws Exception {
        // a journal's shutdown publishes its last frame and closes its files; whoever closed the pipeline may
        // close or delete them next, so close() must not return while a stage is still shutting down
        for (int layout = 0; layout < 4; layout++) {
            final AtomicLong shutDown = new AtomicLong();
            final CommandStage journal = new CommandStage() {
                @Override
                public void onCommand(Command command, boolean endOfBatch) {
                }

                @Override
                public void onShutdown() {
                    slowly(shutDown);
                }
            };
            final OutputStage output = new OutputStage() {
                @Override
                public void onEvents(Command command, boolean endOfBatch) {
                }

                @Override
                public void onShutdown() {
                    slowly(shutDown);
                }
            };
            final Pipeline pipeline = new Pipeline(new Engine(), PipelineConfig.DEFAULT.withFused(layout % 2 == 0)
                .withOutputOnEngineThread(layout >= 2), journal, output);
            final Command c = new Command();
            c.type = org.perpcore.core.model.CommandType.TICK;
            pipeline.publish(c);
            pipeline.close();
            assertEquals(2, shutDown.get(), "layout " + layout + ": stages still shutting down after close()");
        }
    }

    private static void slowly(AtomicLong done) {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        done.incrementAndGet();
    }

    @Test
    void sequenceNumbersStartAtTheConfiguredFirstSeq() throws Exception {
        final List<Long> seqs = new ArrayList<>();
        try (Pipeline pipeline = new Pipeline(new Engine(), PipelineConfig.DEFAULT.withFirstSeq(41),
            CommandStage.NONE, (c, endOfBatch) -> seqs.add(c.seq))) {
            final Command c = new Command();
            c.type = org.perpcore.core.model.CommandType.TICK;
            for (int i = 0; i < 3; i++) {
                pipeline.publish(c);
            }
        }
        assertEquals(List.of(41L, 42L, 43L), seqs);
    }

    @Test
    void aFailingStageStopsThePipeline() throws Exception {
        final List<Long> applied = new ArrayList<>();
        final CommandStage failsOnThird = (c, endOfBatch) -> {
            if (c.seq == 3) {
                throw new IllegalStateException("disk on fire");
            }
        };
        final Pipeline pipeline = new Pipeline(new Engine(), PipelineConfig.DEFAULT.withFused(false),
            failsOnThird, (c, endOfBatch) -> applied.add(c.seq));
        final Command c = new Command();
        c.type = org.perpcore.core.model.CommandType.TICK;
        for (int i = 0; i < 3; i++) {
            pipeline.publish(c);
        }
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (pipeline.failure() == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertNotNull(pipeline.failure());
        assertThrows(IllegalStateException.class, () -> pipeline.publish(c));
        pipeline.close();
        assertTrue(applied.stream().allMatch(seq -> seq < 3), "nothing at or after the failed command was output: " + applied);
    }
}
