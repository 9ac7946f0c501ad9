package org.perpcore.cluster;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.CommandBus;
import org.perpcore.core.pipeline.OutputStage;

/**
 * The {@link CommandBus} of a front door talking to a Perpcore cluster: commands go to the leader through an
 * {@link AeronCluster} session, and the output stage gets every command the cluster applied, with its events, in
 * sequence order, once the cluster committed it (the service only applies committed log entries, and only then
 * sends their events). The output stage therefore sees exactly what it sees behind a pipeline, and a request is
 * answered only after a majority of the nodes holds its command.
 *
 * <h2>Following the leader</h2>
 * The client (Aeron's) follows NEW_LEADER events by itself; this bus reconnects with a new session when the old one
 * is closed (no leader for too long). After every leader change, reconnect or gap in the seqs it receives, it asks
 * for a resend ({@link ClusterProtocol#RESEND}) from the first seq it has not seen: the answer, sequenced in the
 * log like any command, carries the events of every command applied before it, so afterwards the bus knows which
 * of its requests were applied (their answers are in it) and which never will be (offered before the RESEND and
 * absent: they were lost with the old leader's uncommitted log). Only those are offered again: a request is
 * applied at most once, and none waits forever while the cluster has a leader. A client that falls behind further
 * than the leader's event history ({@code historyBytes}) is told where the resend starts; what came before is lost
 * to its read model (logged, counted in {@link #holes()}).
 *
 * <h2>Threads</h2>
 * {@link #publish} is thread safe and non-blocking unless the hand-off ring is full: producers write the encoded
 * command into a many-to-one ring; one agent thread owns the Aeron client, offers, polls egress and calls the output
 * stage. The bus embeds its own media driver (SHARED threading, the configured idle strategy).
 */
public final class ClusterBus implements CommandBus {
    private static final int RING_BYTES = 1 << 22;
    private static final int MSG_COMMAND = 1;
    private static final int CONNECT_RETRY_MS = 200;

    private final ClusterConfig config;
    private final OutputStage output;
    private final Consumer<String> log;
    private final long gatewayId = new SecureRandom().nextLong();
    private final ManyToOneRingBuffer inbound;
    private final ThreadLocal<UnsafeBuffer> scratch =
        ThreadLocal.withInitial(() -> new UnsafeBuffer(new byte[8 + CommandCodec.MAX_LENGTH]));
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Thread agent;
    private final IdleStrategy idle;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile boolean connectedOnce;
    private volatile long lastSeq;
    private volatile long holes;
    private volatile long resyncs;
    private volatile long reoffered;
    private volatile int leaderMemberId = -1;

    // ---- agent thread only
    private final Long2ObjectHashMap<Entry> inFlight = new Long2ObjectHashMap<>();
    private final ArrayDeque<Entry> toSend = new ArrayDeque<>();
    private final UnsafeBuffer resendMessage = new UnsafeBuffer(new byte[ClusterProtocol.RESEND_LENGTH]);
    private final Command delivered = new Command();
    private final Listener listener = new Listener();
    private final MessageHandler takeCommand = this::onInbound;
    private AeronCluster cluster;
    private AeronCluster.AsyncConnect connecting;
    private long nextConnectMs;
    private long connectFailures;
    private long nextRequestId = 1;
    private long offerCount;
    private long lastOfferMs;
    private State state = State.NORMAL;
    private long resendId;
    private boolean resendToOffer;
    private long resendOfferedAt;
    private boolean holeInResync;

    private enum State { NORMAL, AWAIT_BEGIN, RESENDING }

    /** A command handed to the cluster and not answered yet. */
    private static final class Entry {
        final long requestId;
        final long correlationId;
        final UnsafeBuffer message;
        final int length;
        /** Order of the successful offer (0: not offered yet, or to be offered again). */
        long offeredAt;

        Entry(long requestId, long correlationId, UnsafeBuffer message, int length) {
            this.requestId = requestId;
            this.correlationId = correlationId;
            this.message = message;
            this.length = length;
        }
    }

    private ClusterBus(ClusterConfig config, OutputStage output, Consumer<String> log) {
        this.config = config;
        this.output = output;
        this.log = log;
        this.idle = AeronIdle.create(config.idle());
        this.inbound = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        final String aeronDir = config.aeronDir() + "-client-" + ProcessHandle.current().pid() + "-"
            + Long.toHexString(gatewayId & 0xffffffL);
        this.driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(AeronIdle.create(config.idle()))
            .termBufferSparseFile(true)
            .publicationTermBufferLength(4 << 20)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(t -> log.accept("client driver: " + t)));
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())
            .errorHandler(t -> log.accept("client: " + t)));
        this.agent = new Thread(this::run, "perpcore-cluster-client");
        this.agent.setDaemon(true);
    }

    /**
     * Starts the bus: the embedded driver, the agent thread, and the connection to the cluster (made in the
     * background: commands published before it exists wait in the bus).
     *
     * @param output the front door's output stage, called on the bus's thread
     * @param log    where connection changes and warnings go
     */
    public static ClusterBus start(ClusterConfig config, OutputStage output, Consumer<String> log) {
        final ClusterBus bus = new ClusterBus(config, output, log);
        bus.agent.start();
        return bus;
    }

    /**
     * Waits until the bus has a session with the cluster and has caught up with its log (or throws after
     * {@code timeoutMs}).
     */
    public void awaitConnected(long timeoutMs) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!connectedOnce) {
            if (failure != null) {
                throw new IllegalStateException("the cluster client failed: " + failure, failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no cluster session within " + timeoutMs + " ms (members "
                    + config.ingressEndpoints() + ")");
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void publish(Command command) {
        final UnsafeBuffer b = scratch.get();
        b.putLong(0, command.correlationId);
        final int length = 8 + CommandCodec.encode(command, b, 8);
        while (!inbound.write(MSG_COMMAND, b, 0, length)) {
            final Throwable f = failure;
            if (f != null || !running) {
                throw new IllegalStateException("the cluster bus is stopped" + (f == null ? "" : ": " + f), f);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** The cluster's timer ticks the engine every second: the front door sends none. */
    @Override
    public boolean ticksItself() {
        return true;
    }

    /** The last seq handed to the output stage. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Resends asked for (leader changes, reconnects, gaps). */
    public long resyncs() {
        return resyncs;
    }

    /** Requests offered again after a resync showed the cluster never applied them. */
    public long reoffered() {
        return reoffered;
    }

    /** Resyncs that could not go back far enough (the leader's history had moved on). */
    public long holes() {
        return holes;
    }

    /** The leader this bus last heard of (-1: none yet). */
    public int leaderMemberId() {
        return leaderMemberId;
    }

    /** This client's id in the cluster protocol (random per bus). */
    public long gatewayId() {
        return gatewayId;
    }

    // ------------------------------------------------------------------------------------------ the agent

    private void run() {
        try {
            long drainDeadline = Long.MAX_VALUE;
            while (true) {
                if (!running) {
                    if (drainDeadline == Long.MAX_VALUE) {
                        drainDeadline = System.currentTimeMillis() + 5_000;
                    }
                    if (inbound.size() == 0 && toSend.isEmpty() && inFlight.isEmpty()
                        || System.currentTimeMillis() > drainDeadline) {
                        break;
                    }
                }
                idle.idle(doWork());
            }
        } catch (Throwable t) {
            failure = t;
            log.accept("cluster client stopped: " + t);
        } finally {
            CloseHelper.quietCloseAll(connecting, cluster);
        }
    }

    private int doWork() {
        int work = 0;
        final long nowMs = System.currentTimeMillis();
        if (cluster == null || cluster.isClosed()) {
            work += connect(nowMs);
        } else {
            work += cluster.pollEgress();
            if (cluster.isClosed()) {
                log.accept("cluster session closed (no leader within the timeout): reconnecting");
                return work + 1;
            }
            leaderMemberId = cluster.leaderMemberId();
            if (resendToOffer) {
                if (cluster.offer(resendMessage, 0, ClusterProtocol.RESEND_LENGTH) > 0) {
                    resendToOffer = false;
                    resendOfferedAt = ++offerCount;
                    lastOfferMs = nowMs;
                    work++;
                }
            }
            work += offerQueued(nowMs);
            if (nowMs - lastOfferMs > config.sessionTimeoutMs() / 4 && cluster.sendKeepAlive()) {
                lastOfferMs = nowMs;
            }
        }
        work += inbound.read(takeCommand, 64);
        return work;
    }

    private int connect(long nowMs) {
        if (connecting == null) {
            if (nowMs < nextConnectMs) {
                return 0;
            }
            cluster = null;
            connecting = AeronCluster.asyncConnect(new AeronCluster.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .ingressChannel("aeron:udp")
                .ingressEndpoints(config.ingressEndpoints())
                .egressChannel("aeron:udp?endpoint=" + config.members().get(0).host() + ":0")
                .egressListener(listener)
                .idleStrategy(AeronIdle.create(config.idle()))
                .messageTimeoutNs(TimeUnit.MILLISECONDS.toNanos(Math.max(2_000, config.electionTimeoutMs() * 4)))
                .newLeaderTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.sessionTimeoutMs())));
        }
        try {
            final AeronCluster c = connecting.poll();
            if (c == null) {
                return connecting.step() > 0 ? 1 : 0;
            }
            connecting = null;
            connectFailures = 0;
            cluster = c;
            leaderMemberId = c.leaderMemberId();
            log.accept("cluster session " + c.clusterSessionId() + " with leader " + c.leaderMemberId());
            // whatever was offered to an earlier session is settled by the resend
            startResync();
            return 1;
        } catch (RuntimeException e) {
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectMs = nowMs + CONNECT_RETRY_MS;
            if (++connectFailures == 1 || connectFailures % 25 == 0) {
                log.accept("no cluster session yet (" + connectFailures + " attempts): " + e.getMessage());
            }
            return 0;
        }
    }

    private void onInbound(int msgTypeId, DirectBuffer buffer, int index, int length) {
        final long correlationId = buffer.getLong(index);
        final int body = length - 8;
        final UnsafeBuffer m = new UnsafeBuffer(new byte[ClusterProtocol.IN_BODY + body]);
        final long requestId = nextRequestId++;
        m.putByte(0, ClusterProtocol.COMMAND);
        m.putByte(1, ClusterProtocol.VERSION);
        m.putLong(ClusterProtocol.IN_GATEWAY_ID, gatewayId);
        m.putLong(ClusterProtocol.IN_REQUEST_ID, requestId);
        m.putBytes(ClusterProtocol.IN_BODY, buffer, index + 8, body);
        final Entry e = new Entry(requestId, correlationId, m, ClusterProtocol.IN_BODY + body);
        inFlight.put(requestId, e);
        toSend.addLast(e);
    }

    private int offerQueued(long nowMs) {
        int n = 0;
        Entry e;
        while ((e = toSend.peekFirst()) != null) {
            if (cluster.offer(e.message, 0, e.length) <= 0) {
                break; // back pressure or no leader: keep the order, try again on the next duty cycle
            }
            e.offeredAt = ++offerCount;
            lastOfferMs = nowMs;
            toSend.pollFirst();
            n++;
        }
        return n;
    }

    private void startResync() {
        resyncs++;
        state = State.AWAIT_BEGIN;
        resendId = nextRequestId++;
        holeInResync = false;
        resendMessage.putByte(0, ClusterProtocol.RESEND);
        resendMessage.putByte(1, ClusterProtocol.VERSION);
        resendMessage.putLong(ClusterProtocol.IN_GATEWAY_ID, gatewayId);
        resendMessage.putLong(ClusterProtocol.IN_REQUEST_ID, resendId);
        resendMessage.putLong(ClusterProtocol.IN_BODY, lastSeq + 1);
        resendToOffer = true;
    }

    private void onEgress(DirectBuffer buffer, int offset, int length) {
        if (length < 2 || buffer.getByte(offset + 1) != ClusterProtocol.VERSION) {
            return;
        }
        switch (buffer.getByte(offset)) {
            case ClusterProtocol.EVENTS -> onEvents(buffer, offset, length);
            case ClusterProtocol.RESEND_BEGIN -> {
                if (state == State.AWAIT_BEGIN && length >= ClusterProtocol.RS_BEGIN_LENGTH
                    && buffer.getLong(offset + ClusterProtocol.RS_REQUEST_ID) == resendId) {
                    state = State.RESENDING;
                    final long first = buffer.getLong(offset + ClusterProtocol.RS_FIRST_SEQ);
                    if (first > lastSeq + 1) {
                        holes++;
                        holeInResync = true;
                        log.accept("cluster resend starts at seq " + first + ", after the " + (lastSeq + 1)
                            + " asked for: the events of seq " + (lastSeq + 1) + ".." + (first - 1)
                            + " are no longer in the leader's history (this gateway's read model misses them)");
                        lastSeq = first - 1;
                    }
                }
            }
            case ClusterProtocol.RESEND_END -> {
                if (state == State.RESENDING && length >= ClusterProtocol.RS_END_LENGTH
                    && buffer.getLong(offset + ClusterProtocol.RS_REQUEST_ID) == resendId) {
                    if (lastSeq < buffer.getLong(offset + ClusterProtocol.RS_END_LAST_SEQ)) {
                        startResync(); // part of the resend did not arrive: ask again
                        return;
                    }
                    state = State.NORMAL;
                    connectedOnce = true;
                    reofferUnapplied();
                }
            }
            default -> {
                // a message type of a newer cluster: not for this client
            }
        }
    }

    private void onEvents(DirectBuffer buffer, int offset, int length) {
        if (length < ClusterProtocol.EV_EVENTS) {
            return;
        }
        final boolean replay = (buffer.getByte(offset + ClusterProtocol.EV_FLAGS) & ClusterProtocol.FLAG_REPLAY) != 0;
        final long seq = buffer.getLong(offset + ClusterProtocol.EV_SEQ);
        switch (state) {
            case AWAIT_BEGIN -> {
                return; // the resend will carry it
            }
            case RESENDING -> {
                if (!replay) {
                    startResync(); // a live message inside a resend: the resend was cut short
                    return;
                }
            }
            case NORMAL -> {
                if (replay) {
                    return; // a resend this bus no longer waits for
                }
            }
            default -> throw new IllegalStateException(state.toString());
        }
        if (seq <= lastSeq) {
            return;
        }
        if (seq != lastSeq + 1) {
            startResync();
            return;
        }
        deliver(buffer, offset, length, seq);
    }

    private void deliver(DirectBuffer buffer, int offset, int length, long seq) {
        final int eventsLength = buffer.getInt(offset + ClusterProtocol.EV_LENGTH);
        if (ClusterProtocol.EV_EVENTS + eventsLength > length) {
            throw new IllegalStateException("cluster EVENTS message of seq " + seq + " is cut short");
        }
        final Command c = delivered;
        c.clear();
        c.seq = seq;
        c.timestampMs = buffer.getLong(offset + ClusterProtocol.EV_TIMESTAMP);
        c.type = CommandType.fromCode(buffer.getByte(offset + ClusterProtocol.EV_COMMAND_TYPE));
        if (buffer.getLong(offset + ClusterProtocol.EV_GATEWAY_ID) == gatewayId) {
            final Entry e = inFlight.remove(buffer.getLong(offset + ClusterProtocol.EV_REQUEST_ID));
            if (e != null) {
                c.correlationId = e.correlationId;
                if (e.offeredAt == 0) {
                    toSend.remove(e); // answered while queued again after a resync: never offer it again
                }
            }
        }
        c.events().copyFrom(buffer, offset + ClusterProtocol.EV_EVENTS, eventsLength,
            buffer.getInt(offset + ClusterProtocol.EV_EVENT_COUNT));
        lastSeq = seq;
        output.onEvents(c, true);
    }

    /**
     * After a complete resend: every request offered before the RESEND and still unanswered was never applied and
     * never will be (it was lost with a leader's uncommitted log): offer it again, oldest first, ahead of what waits.
     */
    private void reofferUnapplied() {
        if (holeInResync) {
            // the resend skipped commands: an unanswered request may be among them, so none is offered again
            return;
        }
        final List<Entry> again = new ArrayList<>();
        for (Entry e : inFlight.values()) {
            if (e.offeredAt != 0 && e.offeredAt < resendOfferedAt) {
                e.offeredAt = 0;
                again.add(e);
            }
        }
        again.sort(Comparator.comparingLong((Entry e) -> e.requestId).reversed());
        for (Entry e : again) {
            toSend.addFirst(e);
        }
        reoffered += again.size();
    }

    private final class Listener implements EgressListener {
        @Override
        public void onMessage(long clusterSessionId, long timestamp, DirectBuffer buffer, int offset, int length,
                              Header header) {
            onEgress(buffer, offset, length);
        }

        @Override
        public void onNewLeader(long clusterSessionId, long leadershipTermId, int leaderMemberId,
                                String ingressEndpoints) {
            ClusterBus.this.leaderMemberId = leaderMemberId;
            log.accept("new leader: member " + leaderMemberId + " (term " + leadershipTermId + ")");
            startResync();
        }
    }

    /** Lets what was published be answered (at most 5 s), then closes the session, the client and the driver. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            agent.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietCloseAll(aeron, driver);
    }

}
