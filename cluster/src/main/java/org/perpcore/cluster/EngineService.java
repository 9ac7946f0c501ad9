package org.perpcore.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.CommandType;

/**
 * The deterministic {@link Engine} hosted as an Aeron Cluster {@link ClusteredService}: the same object the
 * single-node pipeline drives, fed from the replicated log instead of a ring. No business logic lives here; it
 * translates.
 *
 * <ul>
 *   <li><b>Commands</b> arrive in the log as {@link CommandCodec} bytes ({@link ClusterProtocol#COMMAND}). Each gets
 *       the next sequence number ({@code engine.lastSeq() + 1}) and the log's timestamp as its time (whatever the
 *       sender stamped: the cluster's time is the only clock every replica sees alike), then the engine applies it.
 *       Bytes that do not decode become a command without a type, which the engine rejects: bad input changes
 *       nothing and stops nothing.</li>
 *   <li><b>Time</b>: a cluster timer fires every {@code tickIntervalMs} of log time and becomes a TICK command, so
 *       funding, mark averaging and halts run when no other command arrives. The timer lives in the consensus
 *       module (and its snapshots); it is armed at the first event of the log and re-armed from each firing's
 *       timestamp.</li>
 *   <li><b>Events</b> of every command go to every client session as {@link ClusterProtocol#EVENTS}, with the
 *       request id of the sender; the followers' sends are no-ops (only the leader's reach clients). They are also
 *       kept in an {@link EventHistory} for resends.</li>
 *   <li><b>Snapshots</b> go through the cluster's mechanism in the canonical {@code EngineSnapshot} format
 *       ({@link ClusterSnapshot}); a node starts from the latest and replays the log after it.</li>
 *   <li>Optionally every applied command and its events go to this node's Chronicle journal ({@link NodeJournal}),
 *       for post-mortems with the usual tools.</li>
 * </ul>
 *
 * <p>Threads: every callback runs on the service container's thread, the engine's single writer.
 */
public final class EngineService implements ClusteredService {
    /** Correlation id of the heartbeat timer. */
    static final long TICK_TIMER = 1;

    /** What a node is told about its service (on the service thread: keep it cheap). */
    public interface Observer {
        /** A QUERY_STATE command was applied: the engine's state at that seq, identical on every replica. */
        default void onState(long seq, long stateHash, int openOrders) {
        }

        default void onRoleChange(Cluster.Role role) {
        }

        default void onSnapshot(long seq, long stateHash) {
        }

        /** The service could not start (a snapshot that does not restore, a journal that cannot open...). */
        default void onStartFailed(Throwable t) {
        }

        /** The engine was restored from a cluster snapshot at startup. */
        default void onRestored(long seq, long stateHash) {
        }

        Observer NONE = new Observer() {
        };
    }

    private final long tickIntervalMs;
    private final Observer observer;
    private final NodeJournal journal;
    private final EventHistory history;
    private final Command command = new Command();
    private final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(4096);
    private final ExpandableDirectByteBuffer control = new ExpandableDirectByteBuffer(64);
    private final Consumer<ClientSession> broadcast = this::sendEvents;
    private int outLength;
    private Engine engine;
    private Cluster cluster;
    private IdleStrategy idle;
    private long egressDropped;
    /** Whether the heartbeat timer exists (in the consensus module): from the first log event on. */
    private boolean timerArmed;
    private volatile long snapshotsTaken;
    private volatile long lastSnapshotSeq;

    /**
     * @param engine          the engine to start from when the cluster has no snapshot (a fresh one)
     * @param tickIntervalMs  log time between heartbeat ticks (1000 in production)
     * @param historyBytes    memory for recent events kept for resends
     * @param journal         this node's Chronicle journal, or null
     */
    public EngineService(Engine engine, long tickIntervalMs, int historyBytes, NodeJournal journal,
                         Observer observer) {
        if (tickIntervalMs <= 0) {
            throw new IllegalArgumentException("tickIntervalMs must be positive");
        }
        this.engine = engine;
        this.tickIntervalMs = tickIntervalMs;
        this.history = new EventHistory(historyBytes, Math.max(1024, historyBytes / 64));
        this.journal = journal;
        this.observer = observer == null ? Observer.NONE : observer;
    }

    /** The engine (read it only on the service thread, or once the container is closed). */
    public Engine engine() {
        return engine;
    }

    /** EVENTS messages a client session could not take (it was gone or too slow); it heals them with a resend. */
    public long egressDropped() {
        return egressDropped;
    }

    /** Snapshots this service wrote since it started (any thread). */
    public long snapshotsTaken() {
        return snapshotsTaken;
    }

    /** The seq of the last snapshot this service wrote (any thread). */
    public long lastSnapshotSeq() {
        return lastSnapshotSeq;
    }

    @Override
    public void onStart(Cluster cluster, Image snapshotImage) {
        try {
            start(cluster, snapshotImage);
        } catch (RuntimeException | Error e) {
            // Aeron only says "failed to start clustered service(s)": say why
            observer.onStartFailed(e);
            throw e;
        }
    }

    private void start(Cluster cluster, Image snapshotImage) {
        this.cluster = cluster;
        this.idle = cluster.idleStrategy();
        if (snapshotImage != null) {
            engine = ClusterSnapshot.read(snapshotImage, idle);
            timerArmed = true; // the consensus module's snapshot holds the timer
            observer.onRestored(engine.lastSeq(), engine.stateHash());
        }
        if (journal != null) {
            journal.start(engine);
        }
    }

    /**
     * The first event of every term is in the log. The heartbeat timer is armed at the very first one (Aeron
     * forbids timers in onStart): at the same log position and time on every replica and in every replay. The
     * consensus module keeps the timer from then on, snapshots included.
     */
    @Override
    public void onNewLeadershipTermEvent(long leadershipTermId, long logPosition, long timestamp,
                                         long termBaseLogPosition, int leaderMemberId, int logSessionId,
                                         java.util.concurrent.TimeUnit timeUnit, int appVersion) {
        armTimer(timestamp);
    }

    private void armTimer(long timestamp) {
        if (!timerArmed) {
            timerArmed = true;
            cluster.scheduleTimer(TICK_TIMER, timestamp + tickIntervalMs);
        }
    }

    @Override
    public void onSessionOpen(ClientSession session, long timestamp) {
        armTimer(timestamp);
    }

    @Override
    public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
    }

    @Override
    public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length,
                                 Header header) {
        if (length < ClusterProtocol.IN_BODY || buffer.getByte(offset + 1) != ClusterProtocol.VERSION) {
            return; // not a message of this protocol: nothing to apply and nobody to answer
        }
        armTimer(timestamp);
        final long gatewayId = buffer.getLong(offset + ClusterProtocol.IN_GATEWAY_ID);
        final long requestId = buffer.getLong(offset + ClusterProtocol.IN_REQUEST_ID);
        switch (buffer.getByte(offset)) {
            case ClusterProtocol.COMMAND -> {
                final int n = CommandCodec.decode(buffer, offset + ClusterProtocol.IN_BODY,
                    length - ClusterProtocol.IN_BODY, command);
                if (n < 0) {
                    command.clear(); // no type: the engine rejects it, deterministically on every replica
                }
                apply(timestamp, gatewayId, requestId);
            }
            case ClusterProtocol.RESEND -> {
                if (length >= ClusterProtocol.RESEND_LENGTH && session != null) {
                    resend(session, requestId, buffer.getLong(offset + ClusterProtocol.IN_BODY));
                }
            }
            default -> {
                // an unknown message type from a newer client: ignored alike on every replica
            }
        }
    }

    @Override
    public void onTimerEvent(long correlationId, long timestamp) {
        if (correlationId != TICK_TIMER) {
            return;
        }
        command.clear();
        command.type = CommandType.TICK;
        apply(timestamp, 0, 0);
        cluster.scheduleTimer(TICK_TIMER, timestamp + tickIntervalMs);
    }

    private void apply(long timestamp, long gatewayId, long requestId) {
        final Command c = command;
        c.seq = engine.lastSeq() + 1;
        c.timestampMs = timestamp;
        c.correlationId = requestId;
        if (journal != null) {
            journal.beforeApply(c);
        }
        engine.apply(c);
        if (journal != null) {
            journal.afterApply(c, engine);
        }
        encodeEvents(c, gatewayId, requestId);
        cluster.forEachClientSession(broadcast);
        history.add(c.seq, out, 0, outLength);
        if (history.contains(c.seq)) {
            history.buffer().putByte(history.offset(c.seq) + ClusterProtocol.EV_FLAGS, (byte) ClusterProtocol.FLAG_REPLAY);
        }
        if (c.type == CommandType.QUERY_STATE) {
            observer.onState(c.seq, engine.stateHash(), engine.openOrderCount());
        }
    }

    private void encodeEvents(Command c, long gatewayId, long requestId) {
        final EventBuffer events = c.events();
        final int len = events.length();
        final MutableDirectBuffer b = out;
        b.checkLimit(ClusterProtocol.EV_EVENTS + len);
        b.putByte(0, ClusterProtocol.EVENTS);
        b.putByte(1, ClusterProtocol.VERSION);
        b.putByte(ClusterProtocol.EV_FLAGS, (byte) 0);
        b.putLong(ClusterProtocol.EV_SEQ, c.seq);
        b.putLong(ClusterProtocol.EV_TIMESTAMP, c.timestampMs);
        b.putByte(ClusterProtocol.EV_COMMAND_TYPE, c.type == null ? 0 : c.type.code());
        b.putLong(ClusterProtocol.EV_GATEWAY_ID, gatewayId);
        b.putLong(ClusterProtocol.EV_REQUEST_ID, requestId);
        b.putInt(ClusterProtocol.EV_EVENT_COUNT, events.count());
        b.putInt(ClusterProtocol.EV_LENGTH, len);
        b.putBytes(ClusterProtocol.EV_EVENTS, events.buffer(), 0, len);
        outLength = ClusterProtocol.EV_EVENTS + len;
    }

    private void sendEvents(ClientSession session) {
        offer(session, out, 0, outLength);
    }

    /** The EVENTS of every command from {@code fromSeq} the history still holds, between BEGIN and END. */
    private void resend(ClientSession session, long requestId, long fromSeq) {
        final long last = engine.lastSeq();
        final long first = Math.max(Math.max(fromSeq, history.firstSeq()), 1);
        final MutableDirectBuffer b = control;
        b.putByte(0, ClusterProtocol.RESEND_BEGIN);
        b.putByte(1, ClusterProtocol.VERSION);
        b.putLong(ClusterProtocol.RS_REQUEST_ID, requestId);
        b.putLong(ClusterProtocol.RS_FIRST_SEQ, first);
        b.putLong(ClusterProtocol.RS_BEGIN_LAST_SEQ, last);
        if (!offer(session, b, 0, ClusterProtocol.RS_BEGIN_LENGTH)) {
            return;
        }
        for (long s = first; s <= last; s++) {
            if (!history.contains(s) || !offer(session, history.buffer(), history.offset(s), history.length(s))) {
                return; // the client sees no END: it asks again
            }
        }
        b.putByte(0, ClusterProtocol.RESEND_END);
        b.putLong(ClusterProtocol.RS_END_LAST_SEQ, last);
        offer(session, b, 0, ClusterProtocol.RS_END_LENGTH);
    }

    /**
     * Offers to one session, retrying back pressure for a bounded time: the service thread is the cluster's, and a
     * slow client must not stall everyone. A message that does not go is counted; the client sees the gap in
     * seqs and asks for a resend.
     */
    private boolean offer(ClientSession session, DirectBuffer b, int off, int len) {
        idle.reset();
        for (int attempt = 0; attempt < 200; attempt++) {
            final long r = session.offer(b, off, len);
            if (r > 0) {
                return true;
            }
            if (r == Publication.NOT_CONNECTED || r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                break;
            }
            idle.idle();
        }
        egressDropped++;
        return false;
    }

    @Override
    public void onTakeSnapshot(ExclusivePublication snapshotPublication) {
        final long hash = ClusterSnapshot.write(engine, snapshotPublication, idle);
        lastSnapshotSeq = engine.lastSeq();
        snapshotsTaken++;
        observer.onSnapshot(engine.lastSeq(), hash);
    }

    @Override
    public void onRoleChange(Cluster.Role newRole) {
        observer.onRoleChange(newRole);
    }

    @Override
    public void onTerminate(Cluster cluster) {
        if (journal != null) {
            journal.close();
        }
    }
}
