package org.perpcore.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.core.reference.RandomCommands;
import org.perpcore.journal.JournalReader;

/**
 * The clustered service in process, on a single-node cluster: commands in through the client bus, events out;
 * the same events and state as the plain engine given the commands the cluster applied; snapshot and restore
 * through the cluster giving the same state.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterServiceTest {
    private Path dir;
    private ClusterConfig config;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = TestClusters.newDir("service");
        config = ClusterConfig.parse(TestClusters.properties(1, dir, true), 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        log.forEach(l -> System.out.println("log: " + l));
        TestClusters.delete(dir);
    }

    /** What the output stage saw: events by seq, answers by correlation id. */
    static final class Recorder implements OutputStage {
        final Map<Long, byte[]> eventsBySeq = new ConcurrentHashMap<>();
        final Map<Long, byte[]> answers = new ConcurrentHashMap<>();
        volatile long lastSeq;
        volatile long outOfOrder;
        volatile long stateHashSeen;

        @Override
        public void onEvents(Command c, boolean endOfBatch) {
            if (c.seq != lastSeq + 1) {
                outOfOrder++;
            }
            lastSeq = c.seq;
            final EventBuffer e = c.events();
            final byte[] bytes = new byte[e.length()];
            e.buffer().getBytes(0, bytes);
            eventsBySeq.put(c.seq, bytes);
            if (c.correlationId != 0) {
                answers.put(c.correlationId, bytes);
            }
        }
    }

    @Test
    void commandsInEventsOutSameAsThePlainEngineAndRestoredFromTheSnapshot() throws Exception {
        final Recorder rec = new Recorder();
        final RandomCommands gen = new RandomCommands(42, 2, 40);
        final Command c = new Command();
        long clusterHash;
        long snapshotSeq;
        try (ClusterNode node = ClusterNode.launch(config, new EngineService.Observer() {
                 @Override
                 public void onStartFailed(Throwable t) {
                     t.printStackTrace();
                 }
             }, log::add);
             ClusterBus bus = ClusterBus.start(config, rec, log::add)) {
            bus.awaitConnected(30_000);
            for (int i = 1; i <= 1500; i++) {
                gen.next(c);
                c.correlationId = i;
                bus.publish(c);
                final byte[] answer = await(rec, i);
                final EventBuffer events = new EventBuffer();
                events.copyFrom(new org.agrona.concurrent.UnsafeBuffer(answer), 0, answer.length, count(answer));
                gen.observe(events);
                if (i == 1000) {
                    assertTrue(awaitSnapshot(node), "the leader takes a snapshot");
                }
            }
            assertEquals(0, rec.outOfOrder, "the output stage sees seqs 1, 2, 3... without a gap");
            snapshotSeq = lastSnapshotSeq;
            clusterHash = queryState(bus, rec, 10_000);
        }
        assertTrue(snapshotSeq > 1000, "snapshot at " + snapshotSeq);

        // the node's journal holds the commands exactly as the cluster applied them (log time, ticks included):
        // a single-node Pipeline given them produces byte for byte the same events and the same state
        final Engine plain = new Engine();
        final Map<Long, byte[]> pipelineEvents = new ConcurrentHashMap<>();
        final Pipeline pipeline = new Pipeline(plain, PipelineConfig.DEFAULT, CommandStage.NONE, (cmd, end) -> {
            final byte[] b = new byte[cmd.events().length()];
            cmd.events().buffer().getBytes(0, b);
            pipelineEvents.put(cmd.seq, b);
        });
        final Command j = new Command();
        try (JournalReader reader = new JournalReader(config.nodeDir(0).resolve("journal"))) {
            while (reader.next(j)) {
                pipeline.publish(j);
            }
        }
        pipeline.close();
        int compared = 0;
        for (Map.Entry<Long, byte[]> e : rec.eventsBySeq.entrySet()) {
            assertArrayEquals(pipelineEvents.get(e.getKey()), e.getValue(), "events of seq " + e.getKey());
            compared++;
        }
        assertTrue(compared >= 1500, "compared " + compared);
        assertEquals(plain.stateHash(), clusterHash, "state hash of the cluster = the pipeline's");

        // a restart restores the snapshot and replays the log after it: the same state
        final List<long[]> restored = new CopyOnWriteArrayList<>();
        final EngineService.Observer obs = new EngineService.Observer() {
            @Override
            public void onRestored(long seq, long stateHash) {
                restored.add(new long[] {seq, stateHash});
            }
        };
        final Recorder rec2 = new Recorder();
        try (ClusterNode node = ClusterNode.launch(config, obs, log::add);
             ClusterBus bus = ClusterBus.start(config, rec2, log::add)) {
            bus.awaitConnected(30_000);
            assertEquals(1, restored.size(), "restored from the cluster snapshot: " + log);
            assertEquals(snapshotSeq, restored.get(0)[0]);
            final long after = queryState(bus, rec2, 20_000);
            // time went on between the runs: replay the plain engine up to the same point via the journal
            final Engine plain2 = new Engine();
            long lastHash = 0;
            try (JournalReader reader = new JournalReader(config.nodeDir(0).resolve("journal"))) {
                while (reader.next(j)) {
                    plain2.apply(j);
                    lastHash = plain2.stateHash();
                }
            }
            assertEquals(lastHash, after, "restored node = plain engine over the same commands");
        }
        assertTrue(log.stream().noneMatch(s -> s.contains("journal") && s.contains("cannot")), log.toString());
    }

    private volatile long lastSnapshotSeq;

    private boolean awaitSnapshot(ClusterNode node) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!node.snapshot()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        final long before = node.service().snapshotsTaken();
        while (node.service().snapshotsTaken() == before) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        lastSnapshotSeq = node.service().lastSnapshotSeq();
        return true;
    }

    /** Sends QUERY_STATE and returns the hash in its STATE event. */
    static long queryState(ClusterBus bus, Recorder rec, long id) throws InterruptedException {
        final Command q = new Command();
        q.type = CommandType.QUERY_STATE;
        q.correlationId = id;
        bus.publish(q);
        final byte[] a = await(rec, id);
        final org.perpcore.core.event.EventView v = new org.perpcore.core.event.EventView();
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(a);
        int pos = 0;
        while (pos < a.length) {
            final int n = v.decode(b, pos);
            if (v.type == org.perpcore.core.event.EventType.STATE) {
                return v.stateHash;
            }
            pos += n;
        }
        throw new AssertionError("no STATE event in the answer");
    }

    static byte[] await(Recorder rec, long id) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        byte[] a;
        while ((a = rec.answers.get(id)) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answer to request " + id + " within 20 s");
            }
            Thread.onSpinWait();
        }
        assertNotNull(a);
        return a;
    }

    static int count(byte[] events) {
        int n = 0;
        int pos = 0;
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(events);
        while (pos < events.length) {
            pos += b.getInt(pos);
            n++;
        }
        return n;
    }

    static List<Long> seqs(Recorder r) {
        return new ArrayList<>(r.eventsBySeq.keySet());
    }
}
