package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * A snapshot taken while conditional orders wait (a stop on each working price, a take-profit limit, trailing stops
 * active and waiting for activation), then a restart: recovery restores the snapshot and replays the tail, and the
 * price moves after the restart fire the restored orders with exactly the events of an uninterrupted run.
 */
@Timeout(60)
class ConditionalRecoveryTest {
    private static final List<String> BEFORE_SNAPSHOT = List.of(
        "time 2025-10-10T20:00:00Z",
        "market BTCUSDT tick=0.1 step=0.001 makerFee=0.0002 takerFee=0.0005 priceBand=0.2 marketBand=0.1",
        "index BTCUSDT 100000",
        "deposit alice 100000",
        "deposit bob 100000",
        "deposit mm 10000000",
        "order mm BTCUSDT sell limit 0.5 100000 id=ask0",
        "order alice BTCUSDT buy market 0.5",
        "order alice BTCUSDT sell stop_market 0.2 stopPrice=99000 reduceOnly id=sl",
        "order alice BTCUSDT sell stop_market 0.1 stopPrice=98000 workingType=MARK_PRICE reduceOnly id=slm",
        "order alice BTCUSDT sell take_profit 0.1 101500 stopPrice=101000 id=tp",
        "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=1 reduceOnly id=tr",
        "order bob BTCUSDT buy trailing_stop_market 0.1 callbackRate=2 activationPrice=99500 id=tb",
        "order bob BTCUSDT buy stop 0.1 102000 stopPrice=101800 id=bs",
        "order mm BTCUSDT buy limit 1 99000 id=bid1",
        "order mm BTCUSDT buy limit 1 98000 id=bid2",
        "order mm BTCUSDT sell limit 1 101000 id=ask1",
        "order mm BTCUSDT sell limit 1 102000 id=ask2");
    /** Journaled after the snapshot, before the restart: the take-profit fires and rests; the trailing high moves. */
    private static final List<String> TAIL = List.of(
        "order bob BTCUSDT buy market 0.2",
        "advance 1s");
    /** After the restart: prices that reach every restored order. */
    private static final List<String> AFTER_RESTART = List.of(
        "order bob BTCUSDT sell market 1.5",
        "mark BTCUSDT 97000",
        "order mm BTCUSDT sell limit 2 99400 id=ask3",
        "order bob BTCUSDT buy market 0.3",
        "order mm BTCUSDT buy limit 1 101600 id=bid3",
        "order mm BTCUSDT sell limit 1 101800 id=ask4",
        "order bob BTCUSDT buy market 2",
        "query account alice");

    @Test
    void restoredStopsFireAsInAnUninterruptedRun(@TempDir Path dir) throws ScenarioException {
        final List<Command> all = new ArrayList<>();
        final ScenarioParser parser = new ScenarioParser();
        int line = 0;
        final List<List<String>> parts = List.of(BEFORE_SNAPSHOT, TAIL, AFTER_RESTART);
        final int[] partEnds = new int[3];
        for (int p = 0; p < 3; p++) {
            for (String text : parts.get(p)) {
                final Command c = new Command();
                if (parser.parse(text, ++line, c)) {
                    all.add(c);
                }
            }
            if (p == 0) {
                all.add(JournaledEngine.snapshotCommand(new Command(), parser.clockMs()));
            }
            partEnds[p] = all.size();
        }
        for (int i = 0; i < all.size(); i++) {
            all.get(i).seq = i + 1;
        }
        final long snapshotSeq = partEnds[0];

        // the uninterrupted run, without journal or pipeline
        final Engine reference = new Engine();
        final List<byte[]> expected = new ArrayList<>();
        for (Command c : all) {
            final Command copy = new Command();
            copy.copyFrom(c);
            reference.apply(copy);
            expected.add(bytes(copy));
        }

        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT);
             Pipeline pipeline = journal.startPipeline(PipelineConfig.DEFAULT, OutputStage.NONE)) {
            for (int i = 0; i < partEnds[1]; i++) {
                pipeline.publish(all.get(i));
            }
        }
        final List<byte[]> afterRestart = new ArrayList<>();
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            assertEquals(snapshotSeq, journal.recovery().snapshotSeq(), journal.recovery()::toString);
            assertEquals(partEnds[1] - snapshotSeq, journal.recovery().replayed());
            assertTrue(journal.engine().openOrderCount() >= 8, "orders waiting and resting after the restore");
            final OutputStage capture = (c, end) -> afterRestart.add(bytes(c));
            try (Pipeline pipeline = journal.startPipeline(PipelineConfig.DEFAULT, capture)) {
                for (int i = partEnds[1]; i < all.size(); i++) {
                    pipeline.publish(all.get(i));
                }
            }
            assertEquals(reference.stateHash(), journal.engine().stateHash());
        }
        assertEquals(all.size() - partEnds[1], afterRestart.size());
        int triggered = 0;
        for (int i = 0; i < afterRestart.size(); i++) {
            final int seq = partEnds[1] + i + 1;
            assertArrayEquals(expected.get(seq - 1), afterRestart.get(i), "events of seq " + seq);
            triggered += count(afterRestart.get(i), OrderStatus.TRIGGERED);
        }
        // sl, slm, tr, tb and bs fire after the restart (tp fired before it and rests in the book)
        assertEquals(5, triggered, "orders triggered after the restart");
        assertEquals(1, count(expected.get(partEnds[0]), OrderStatus.TRIGGERED), "the take-profit fired in the tail");
    }

    private static byte[] bytes(Command c) {
        final byte[] b = new byte[c.events().length()];
        c.events().buffer().getBytes(0, b);
        return b;
    }

    private static int count(byte[] events, OrderStatus status) {
        final EventView view = new EventView();
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(events);
        int n = 0;
        for (int p = 0; p < events.length; ) {
            final int k = view.decode(buffer, p);
            if (view.type == EventType.ORDER && view.status == status) {
                n++;
            }
            p += k;
        }
        return n;
    }
}
