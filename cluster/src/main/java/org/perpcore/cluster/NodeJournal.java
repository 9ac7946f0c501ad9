package org.perpcore.cluster;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.journal.JournalException;
import org.perpcore.journal.JournalOptions;
import org.perpcore.journal.JournaledEngine;

/**
 * A cluster node's own Chronicle journal of commands and events (docs/JOURNAL.md's format), for post-mortems with
 * {@code bin/perpcore replay} and {@code journal verify}: not needed for the cluster's durability, which is the
 * replicated log's. Written on the service thread, each command before the engine applies it and its events after.
 *
 * <p>A restarted node replays the cluster log from its latest cluster snapshot, which may be before the journal's
 * end: commands the journal already holds are not written again, and when the engine reaches the journal's last
 * command its state hash is compared with the journal's (a difference is reported: this build does not reproduce
 * what the node journaled). A journal that ends before the cluster snapshot the node starts from cannot be
 * continued without a gap: journaling stops for this run, with a warning, and the journal is left as it is.
 */
public final class NodeJournal implements AutoCloseable {
    private final Path dir;
    private final JournalOptions options;
    private final Consumer<String> warnings;
    private JournaledEngine journal;
    private CommandStage commands;
    private OutputStage events;
    private long nextSeq;
    private long journalEndHash;
    private boolean writing;
    private boolean enabled;

    public NodeJournal(Path dir, JournalOptions options, Consumer<String> warnings) {
        this.dir = dir;
        this.options = options;
        this.warnings = warnings;
    }

    /** Opens the journal, once the engine the service starts from is known. */
    void start(Engine engine) {
        try {
            journal = JournaledEngine.open(dir, options, warnings);
        } catch (JournalException e) {
            warnings.accept("node journal " + dir + ": not written in this run: " + e.getMessage());
            return;
        }
        nextSeq = journal.nextSeq();
        journalEndHash = journal.engine().stateHash();
        commands = journal.commandStage();
        events = journal.outputStage(OutputStage.NONE);
        enabled = true;
        if (engine.lastSeq() >= nextSeq) {
            stop("it ends at seq " + (nextSeq - 1) + " and the cluster snapshot this node starts from is at seq "
                + engine.lastSeq());
        } else if (engine.lastSeq() == nextSeq - 1) {
            compare(engine);
        }
    }

    /** Whether commands are being journaled. */
    public boolean enabled() {
        return enabled;
    }

    /** The seq the journal's next entry gets. */
    public long nextSeq() {
        return nextSeq;
    }

    void beforeApply(Command c) {
        writing = false;
        if (!enabled || c.seq < nextSeq) {
            return;
        }
        if (c.seq > nextSeq) {
            stop("the cluster applied seq " + c.seq + " where the journal's next is " + nextSeq);
            return;
        }
        commands.onCommand(c, true);
        writing = true;
    }

    void afterApply(Command c, Engine engine) {
        if (writing) {
            events.onEvents(c, true);
            nextSeq = c.seq + 1;
            writing = false;
        } else if (enabled && c.seq == nextSeq - 1) {
            compare(engine);
        }
    }

    private void compare(Engine engine) {
        if (engine.stateHash() != journalEndHash) {
            warnings.accept("node journal " + dir + ": at seq " + engine.lastSeq() + " the cluster's state hash is "
                + Long.toHexString(engine.stateHash()) + " but the journal's is " + Long.toHexString(journalEndHash)
                + ": the journal was written by another engine; journaling stops");
            stop(null);
        }
    }

    private void stop(String why) {
        if (why != null) {
            warnings.accept("node journal " + dir + ": cannot continue without a gap (" + why
                + "); not written in this run");
        }
        enabled = false;
    }

    @Override
    public void close() {
        if (journal != null) {
            if (commands instanceof AutoCloseable a) {
                closeQuietly(a);
            }
            if (events instanceof AutoCloseable a) {
                closeQuietly(a);
            }
            journal.close();
            journal = null;
        }
    }

    private void closeQuietly(AutoCloseable a) {
        try {
            a.close();
        } catch (Exception e) {
            warnings.accept("node journal " + dir + ": closing: " + e.getMessage());
        }
    }
}
