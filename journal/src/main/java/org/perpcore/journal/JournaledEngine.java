package org.perpcore.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.EngineHook;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;

/**
 * An engine backed by a journal directory: {@link #open} restores the state the journal holds (the latest usable
 * snapshot, then the commands after it) and hands back the engine, the next sequence number and the pipeline
 * stages that keep journaling. This is the one way a process writes a journal: the scenario runner and the server
 * both use it.
 *
 * <pre>{@code
 * try (JournaledEngine journal = JournaledEngine.open(Path.of("runs/1"), JournalOptions.DEFAULT)) {
 *     log.info(journal.recovery().summary());              // e.g. "restored seq 1..5000 (snapshot ...)"
 *     Pipeline pipeline = journal.startPipeline(PipelineConfig.DEFAULT, myOutputStage);
 *     // publish commands: they get seq journal.nextSeq(), nextSeq() + 1, ...
 *     pipeline.close();                                    // drains; stages close their appenders
 * }                                                        // closes the queues and releases the lock
 * }</pre>
 * Or, to lay the pipeline out yourself, pass {@link #commandStage()}, {@link #engineHook()} and
 * {@link #outputStage(OutputStage)} to {@link Pipeline#Pipeline(Engine, PipelineConfig, CommandStage, EngineHook,
 * OutputStage)} with {@code config.withFirstSeq(nextSeq())}.
 *
 * <p>What {@link #open} guarantees:
 * <ul>
 *   <li>On a directory with no journal, a new one is created and the engine is empty (next seq 1).</li>
 *   <li>On an existing journal, the engine is exactly the state after its last valid command: the same state hash,
 *       and the same events for every later command, as a replay of the whole journal. The events of the replayed
 *       tail are checked against the event journal byte for byte; where the event journal ends early (a crash
 *       between the two journals) the missing events are written again; a snapshot whose write was interrupted is
 *       written again.</li>
 *   <li>A damaged journal (a torn or corrupt last entry, garbage bytes, an unknown schema version, a gap in the
 *       sequence numbers, a damaged snapshot, events past the last command) is never used silently. With
 *       {@link OnCorrupt#STOP} (the default) open throws a {@link JournalException} saying what and where, and
 *       changes nothing; with {@link OnCorrupt#TRUNCATE} the journal is cut back to its last valid command, damaged
 *       snapshots are set aside (all kept on disk under {@code .damaged-TIME} names), and every step is listed in
 *       {@link RecoveryReport#repairs()}.</li>
 *   <li>Events that this build does not reproduce from the journaled commands (a journal written by a build whose
 *       engine behaves differently) stop open with a {@link JournalException} in either mode.</li>
 *   <li>Only one process writes a journal at a time: {@code DIR/journal.lock} is held until {@link #close}; a second
 *       open throws a {@link JournalException}. The OS releases the lock if the process dies.</li>
 * </ul>
 *
 * <p>Threads: open and close on any one thread; the stages run on the pipeline's threads (each creates its
 * Chronicle appender there). Close the pipeline before this.
 */
public final class JournaledEngine implements AutoCloseable {
    private final Path dir;
    private final JournalOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Recovery recovery;
    private final CommandJournal commandStage;
    private final SnapshotStage snapshotStage;
    private EventJournal eventStage;
    private boolean started;
    private boolean closed;

    private JournaledEngine(Path dir, JournalOptions options, FileChannel lockChannel, FileLock lock,
                            Recovery recovery, Consumer<String> warnings) {
        this.dir = dir;
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recovery = recovery;
        final long next = recovery.lastSeq + 1;
        this.commandStage = new CommandJournal(recovery.commands, false, options, next);
        this.snapshotStage = new SnapshotStage(recovery.engine, recovery.store(), options.keepSnapshots(), warnings);
    }

    /** Opens (or creates) the journal in {@code dir}; warnings of later snapshot failures go to standard error. */
    public static JournaledEngine open(Path dir, JournalOptions options) {
        return open(dir, options, System.err::println);
    }

    /**
     * Opens (or creates) the journal in {@code dir} and restores its state (see the class comment).
     *
     * @param warnings where to report a snapshot that could not be written while running
     * @throws JournalException when the journal is damaged (and {@code options.onCorrupt()} is STOP), cannot be
     *     repaired, does not reproduce, or is in use by another process
     */
    public static JournaledEngine open(Path dir, JournalOptions options, Consumer<String> warnings) {
        final FileChannel channel;
        final FileLock lock;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(JournalFiles.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new JournalException("cannot open the journal " + dir + ": " + e.getMessage(), e);
        }
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new JournalException("the journal " + dir + " is in use (" + e.getMessage() + ")");
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new JournalException("the journal " + dir + " is in use by another process");
        }
        final Recovery recovery = new Recovery(dir, options);
        try {
            recovery.run();
            recovery.prune();
        } catch (RuntimeException e) {
            recovery.closeQueues();
            releaseQuietly(lock, channel);
            throw e;
        }
        return new JournaledEngine(dir, options, channel, lock, recovery, warnings);
    }

    /** The restored engine. Drive it only through the pipeline once it is started. */
    public Engine engine() {
        return recovery.engine;
    }

    /** The sequence number the next command gets: one past the last journaled command. */
    public long nextSeq() {
        return recovery.lastSeq + 1;
    }

    /** What recovery found and did. */
    public RecoveryReport recovery() {
        return recovery.report();
    }

    public Path dir() {
        return dir;
    }

    public JournalOptions options() {
        return options;
    }

    /** The command journal stage (the pipeline's first stage). */
    public CommandStage commandStage() {
        return commandStage;
    }

    /** The engine-thread hook that writes a snapshot after each SNAPSHOT command. */
    public EngineHook engineHook() {
        return snapshotStage;
    }

    /** The event journal stage, in front of {@code next} (the fan-out to clients). Call once. */
    public OutputStage outputStage(OutputStage next) {
        if (eventStage != null) {
            throw new IllegalStateException("the event journal stage was already handed out");
        }
        eventStage = new EventJournal(recovery.events, false, options, nextSeq(), next);
        return eventStage;
    }

    /**
     * Starts a pipeline on the restored engine with the journal's stages, numbering commands from
     * {@link #nextSeq()} (whatever {@code config.firstSeq()} says). Call once.
     */
    public Pipeline startPipeline(PipelineConfig config, OutputStage next) {
        if (started) {
            throw new IllegalStateException("the pipeline was already started");
        }
        started = true;
        return new Pipeline(engine(), config.withFirstSeq(nextSeq()), commandStage, snapshotStage,
            outputStage(next));
    }

    /**
     * The snapshot the engine hook wrote last since open (null: none yet). Read it on the output stage's thread after
     * the SNAPSHOT command came out of the engine (the pipeline orders the two), or after the pipeline closed.
     */
    public SnapshotInfo lastSnapshot() {
        return snapshotStage.last();
    }

    /**
     * The snapshot written for the SNAPSHOT command at {@code seq} since open, or null when its write failed (the
     * warnings said why) or it is not among the last 64 written. Read it once that command came out of the engine.
     */
    public SnapshotInfo snapshotWrittenAt(long seq) {
        return snapshotStage.writtenAt(seq);
    }

    /**
     * A reader of the journaled events from {@code fromSeq}, on this journal's own queue: for a front door that
     * rebuilds what it derives from the events (a read model) before the pipeline starts. Read and close it on the
     * calling thread; the events up to {@code nextSeq() - 1} are there (recovery completed them).
     */
    public EventJournalReader eventReader(long fromSeq) {
        if (started) {
            throw new IllegalStateException("read the events before the pipeline starts");
        }
        return new EventJournalReader(recovery.events, false, fromSeq);
    }

    /** Snapshots written by the engine hook since open. */
    public long snapshotsWritten() {
        return snapshotStage.written();
    }

    /** Snapshots the engine hook failed to write since open (each reported to the warnings). */
    public long snapshotsFailed() {
        return snapshotStage.failed();
    }

    /**
     * Fills {@code into} with a SNAPSHOT command stamped {@code timestampMs}: publish it to take a snapshot at
     * the exact place it gets in the sequence. (The timestamp is journaled; a snapshot lets no engine time pass.)
     */
    public static Command snapshotCommand(Command into, long timestampMs) {
        into.clear();
        into.type = CommandType.SNAPSHOT;
        into.timestampMs = timestampMs;
        return into;
    }

    /** Closes both queues and releases the lock. Close the pipeline first. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recovery.closeQueues();
        } finally {
            releaseQuietly(lock, lockChannel);
        }
    }

    private static void releaseQuietly(FileLock lock, FileChannel channel) {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
