package org.perpcore.cluster;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.File;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.perpcore.core.engine.Engine;
import org.perpcore.journal.JournalOptions;

/**
 * One member of a Perpcore cluster in this process: a media driver, an archive (which records the replicated log),
 * the consensus module (Raft: elections, replication, commit) and the service container running the
 * {@link EngineService}. {@link #launch} returns once everything started; the node takes part in elections from
 * then on. When this node leads, it asks for a cluster snapshot every {@code snapshotIntervalMs} (every member
 * takes it at the same log position).
 *
 * <p>Every Aeron agent shares one thread per component (driver, archive, consensus module: SHARED threading) and
 * idles with the configured strategy: on a small machine, three nodes and a client must not spin.
 */
public final class ClusterNode implements AutoCloseable {
    private final ClusterConfig config;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final EngineService service;
    private final ScheduledExecutorService snapshots;

    private ClusterNode(ClusterConfig config, ClusteredMediaDriver driver, ClusteredServiceContainer container,
                        EngineService service, ScheduledExecutorService snapshots) {
        this.config = config;
        this.driver = driver;
        this.container = container;
        this.service = service;
        this.snapshots = snapshots;
    }

    /**
     * Starts member {@code config.memberId()}.
     *
     * @param observer the service's observer (state hashes, roles, snapshots), called on the service thread
     * @param log      where the node's warnings go
     */
    public static ClusterNode launch(ClusterConfig config, EngineService.Observer observer, Consumer<String> log) {
        final ClusterConfig.Member self = config.self();
        final File nodeDir = config.nodeDir(self.id()).toFile();
        final String aeronDir = config.aeronDir() + "-node-" + self.id();
        final String host = self.host();

        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(AeronIdle.create(config.idle()))
            .termBufferSparseFile(true)
            .publicationTermBufferLength(16 << 20)
            .ipcTermBufferLength(16 << 20)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(t -> log.accept("driver: " + t));

        final Archive.Context archiveCtx = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(new File(nodeDir, "archive"))
            .controlChannel("aeron:udp?endpoint=" + self.endpoint(ClusterConfig.ARCHIVE_OFFSET))
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .recordingEventsEnabled(false)
            .archiveId(self.id())
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(() -> AeronIdle.create(config.idle()))
            .errorHandler(t -> log.accept("archive: " + t));

        final AeronArchive.Context localArchive = new AeronArchive.Context()
            .controlRequestChannel(archiveCtx.localControlChannel())
            .controlRequestStreamId(archiveCtx.localControlStreamId())
            .controlResponseChannel(archiveCtx.localControlChannel())
            .aeronDirectoryName(aeronDir);

        final ConsensusModule.Context consensusCtx = new ConsensusModule.Context()
            .clusterMemberId(self.id())
            .clusterMembers(config.clusterMembers())
            .clusterDir(new File(nodeDir, "cluster"))
            .archiveContext(localArchive.clone())
            .serviceCount(1)
            .ingressChannel("aeron:udp")
            .logChannel("aeron:udp?term-length=16m")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.heartbeatTimeoutMs()))
            .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(Math.max(20, config.heartbeatTimeoutMs() / 10)))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMs()))
            .startupCanvassTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.startupCanvassMs()))
            .sessionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.sessionTimeoutMs()))
            .idleStrategySupplier(() -> AeronIdle.create(config.idle()))
            .errorHandler(t -> log.accept("consensus: " + describe(t)));

        final NodeJournal journal = config.journal()
            ? new NodeJournal(nodeDir.toPath().resolve("journal"), JournalOptions.DEFAULT, log) : null;
        final EngineService service = new EngineService(new Engine(), config.tickIntervalMs(), config.historyBytes(),
            journal, observer);
        final ClusteredServiceContainer.Context serviceCtx = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(localArchive.clone())
            .clusterDir(new File(nodeDir, "cluster"))
            .clusteredService(service)
            .serviceId(0)
            .idleStrategySupplier(() -> AeronIdle.create(config.idle()))
            .errorHandler(t -> log.accept("service: " + describe(t)));

        ClusteredMediaDriver driver = null;
        ClusteredServiceContainer container = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (driver == null) {
            try {
                driver = ClusteredMediaDriver.launch(driverCtx.clone(), archiveCtx.clone(), consensusCtx.clone());
            } catch (RuntimeException e) {
                // a node restarted right after a crash finds its dead predecessor's mark files still "active"
                // (Aeron's liveness timeout, 10 s): wait for them to go stale rather than refuse to start
                if (!String.valueOf(e.getMessage()).contains("active mark file") || System.nanoTime() > deadline) {
                    throw e;
                }
                log.accept("waiting for the previous process's mark files to go stale: " + e.getMessage());
                sleep(1000);
            }
        }
        try {
            container = ClusteredServiceContainer.launch(serviceCtx);
        } catch (RuntimeException e) {
            CloseHelper.quietCloseAll(container, driver);
            throw e;
        }
        ScheduledExecutorService snapshots = null;
        if (config.snapshotIntervalMs() > 0) {
            snapshots = Executors.newSingleThreadScheduledExecutor(r -> {
                final Thread t = new Thread(r, "perpcore-snapshot-trigger");
                t.setDaemon(true);
                return t;
            });
            final ConsensusModule.Context ctx = driver.consensusModule().context();
            snapshots.scheduleAtFixedRate(() -> requestSnapshot(ctx), config.snapshotIntervalMs(),
                config.snapshotIntervalMs(), TimeUnit.MILLISECONDS);
        }
        return new ClusterNode(config, driver, container, service, snapshots);
    }

    /**
     * Asks the consensus module for a snapshot when this node leads (a follower's request would be ignored).
     * Returns false when not leading or a toggle is already pending.
     */
    private static boolean requestSnapshot(ConsensusModule.Context ctx) {
        final AtomicCounter role = ctx.clusterNodeRoleCounter();
        if (role == null || role.isClosed() || Cluster.Role.get(role) != Cluster.Role.LEADER) {
            return false;
        }
        final AtomicCounter toggle = ctx.controlToggleCounter();
        return toggle != null && !toggle.isClosed() && ClusterControl.ToggleState.SNAPSHOT.toggle(toggle);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the node");
        }
    }

    /** An error with its causes, and where the first was thrown from: a node's log is all there is. */
    static String describe(Throwable t) {
        final StringBuilder sb = new StringBuilder(String.valueOf(t));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" / caused by ").append(c);
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final StackTraceElement[] st = root.getStackTrace();
        for (int i = 0; i < Math.min(4, st.length); i++) {
            sb.append(i == 0 ? " at " : " < ").append(st[i]);
        }
        return sb.toString();
    }

    /** Asks for a cluster snapshot now (when leading); true if the request was made. */
    public boolean snapshot() {
        return requestSnapshot(driver.consensusModule().context());
    }

    /** This node's role now. */
    public Cluster.Role role() {
        final AtomicCounter role = driver.consensusModule().context().clusterNodeRoleCounter();
        return Cluster.Role.get(role);
    }

    public ClusterConfig config() {
        return config;
    }

    public EngineService service() {
        return service;
    }

    @Override
    public void close() {
        if (snapshots != null) {
            snapshots.shutdownNow();
        }
        CloseHelper.quietCloseAll(container, driver);
    }
}
