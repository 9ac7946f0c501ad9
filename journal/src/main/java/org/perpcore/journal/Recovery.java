package org.perpcore.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;

/**
 * Opening an existing journal: the latest usable snapshot, then the command tail replayed into it, the events of
 * that tail checked against the event journal (and written again where the event journal ends early, as after a
 * crash between the two journals), missing snapshots written again.
 *
 * <p>Every attempt first only reads: it picks a snapshot and validates both journals' tails. A problem found there
 * is a {@link Damage}; under {@link OnCorrupt#STOP} it becomes a {@link JournalException} and nothing on disk has
 * changed, under {@link OnCorrupt#TRUNCATE} it is repaired (the damaged queue is rewritten up to its last valid
 * entry, the original kept aside; a damaged snapshot is set aside) and recovery starts over. Each repair removes
 * something, so this ends.
 */
final class Recovery {
    private static final int MAX_REPAIRS = 16;

    private final Path dir;
    private final JournalOptions options;
    private final SnapshotStore store;
    private final RecoveryReport report = new RecoveryReport();

    SingleChronicleQueue commands;
    SingleChronicleQueue events;
    Engine engine;
    long lastSeq;

    Recovery(Path dir, JournalOptions options) {
        this.dir = dir;
        this.options = options;
        this.store = new SnapshotStore(dir);
    }

    RecoveryReport report() {
        return report;
    }

    SnapshotStore store() {
        return store;
    }

    /** Runs recovery; on success the queues are open, {@link #engine} holds the state and {@link #lastSeq} the end. */
    void run() {
        final boolean fresh = !JournalFiles.isJournal(dir) && !Files.exists(dir.resolve(JournalFiles.COMMANDS + ".repair"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException("cannot create the journal directory " + dir + ": " + e.getMessage(), e);
        }
        finishInterruptedRepair(JournalFiles.COMMANDS);
        finishInterruptedRepair(JournalFiles.EVENTS);
        if (fresh) {
            report.fresh();
        }
        for (int repairs = 0; ; repairs++) {
            final Plan plan;
            try {
                plan = inspect();
            } catch (Damage d) {
                if (options.onCorrupt() == OnCorrupt.STOP) {
                    throw new JournalException(d.getMessage() + ". Nothing was changed; to cut the journal back to its"
                        + " last valid command and set the damage aside, open it with --on-corrupt truncate", d.seq);
                }
                if (repairs == MAX_REPAIRS) {
                    throw new JournalException("recovery gave up after " + MAX_REPAIRS + " repairs: " + d.getMessage());
                }
                repair(d);
                continue;
            }
            commands = JournalFiles.open(dir, JournalFiles.COMMANDS, options, false);
            events = JournalFiles.open(dir, JournalFiles.EVENTS, options, false);
            try {
                apply(plan);
                return;
            } catch (RuntimeException e) {
                closeQueues();
                throw e;
            }
        }
    }

    /** Deletes snapshots beyond the newest {@link JournalOptions#keepSnapshots} (the option may have changed). */
    void prune() {
        try {
            final List<Path> deleted = store.prune(options.keepSnapshots());
            if (!deleted.isEmpty()) {
                report.note("deleted " + deleted.size() + " older snapshot" + (deleted.size() == 1 ? "" : "s")
                    + " (keeping the newest " + options.keepSnapshots() + ")");
            }
        } catch (IOException e) {
            report.note("could not delete older snapshots: " + e.getMessage());
        }
    }

    void closeQueues() {
        if (commands != null && !commands.isClosed()) {
            commands.close();
        }
        if (events != null && !events.isClosed()) {
            events.close();
        }
    }

    /** What the read-only inspection found: where to start and where the journals end. */
    private record Plan(Engine engine, SnapshotInfo snapshot, long startSeq, long lastCommand, long lastEvent) {
    }

    /** A queue opened read only (Chronicle would otherwise grow a cut file back), or null when it does not exist. */
    private SingleChronicleQueue openReadOnly(String name) {
        final Path queue = dir.resolve(name);
        if (!Files.isDirectory(queue)) {
            return null;
        }
        try (Stream<Path> files = Files.list(queue)) {
            if (files.findAny().isEmpty()) {
                return null;
            }
        } catch (IOException e) {
            throw new JournalException("cannot list " + queue + ": " + e.getMessage(), e);
        }
        try {
            return JournalFiles.open(dir, name, options, true);
        } catch (RuntimeException e) {
            throw new JournalException("cannot open the " + name + " queue: " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------ one attempt

    /** Everything that can be found wrong, found without writing a byte: the snapshot to use and both tails. */
    private Plan inspect() {
        final SingleChronicleQueue roCommands;
        try {
            roCommands = openReadOnly(JournalFiles.COMMANDS);
        } catch (JournalException e) {
            throw new Damage(Damage.Kind.COMMANDS, null, -1, e.getMessage());
        }
        final SingleChronicleQueue roEvents;
        try {
            roEvents = openReadOnly(JournalFiles.EVENTS);
        } catch (JournalException e) {
            if (roCommands != null) {
                roCommands.close();
            }
            throw new Damage(Damage.Kind.EVENTS, null, -1, e.getMessage());
        }
        try {
            final long commandEntries;
            final long eventEntries;
            try {
                commandEntries = roCommands == null ? 0 : JournalFiles.lastSeq(roCommands, JournalFiles.COMMANDS);
            } catch (JournalException e) {
                throw new Damage(Damage.Kind.COMMANDS, null, -1, e.getMessage());
            }
            try {
                eventEntries = roEvents == null ? 0 : JournalFiles.lastSeq(roEvents, JournalFiles.EVENTS);
            } catch (JournalException e) {
                throw new Damage(Damage.Kind.EVENTS, null, -1, e.getMessage());
            }
            SnapshotInfo chosen = null;
            Engine restored = null;
            final List<SnapshotInfo> snapshots = store.list();
            for (int i = snapshots.size() - 1; i >= 0 && chosen == null; i--) {
                final SnapshotInfo info = snapshots.get(i);
                if (info.seq() > commandEntries) {
                    throw new Damage(Damage.Kind.SNAPSHOT, info.file(), info.seq(), "snapshot "
                        + info.file().getFileName() + " is at seq " + info.seq() + ", beyond the command journal,"
                        + " which ends at seq " + commandEntries + ": the commands it includes are not in the journal");
                }
                if (info.seq() > eventEntries) {
                    report.note("snapshot at seq " + info.seq() + " is ahead of the event journal (seq "
                        + eventEntries + "): recovery starts from an earlier point to write the missing events");
                    continue;
                }
                if (info.problem() != null) {
                    throw new Damage(Damage.Kind.SNAPSHOT, info.file(), info.seq(), "snapshot "
                        + info.file().getFileName() + ": " + info.problem());
                }
                try {
                    restored = store.restore(info);
                } catch (JournalException e) {
                    throw new Damage(Damage.Kind.SNAPSHOT, info.file(), info.seq(), e.getMessage());
                }
                checkSnapshotCommand(roCommands, info);
                chosen = info;
            }
            final long startSeq = chosen == null ? 0 : chosen.seq();
            final long lastCommand = roCommands == null ? 0 : validateCommands(roCommands, startSeq + 1,
                commandEntries);
            final long lastEvent = roEvents == null ? startSeq : validateEvents(roEvents, startSeq + 1);
            if (lastEvent > lastCommand) {
                throw new Damage(Damage.Kind.EVENTS, null, lastCommand + 1, "the event journal goes on to seq "
                    + lastEvent + ", past the last command (seq " + lastCommand + "): its events belong to no"
                    + " journaled command");
            }
            return new Plan(restored == null ? new Engine() : restored, chosen, startSeq, lastCommand, lastEvent);
        } finally {
            if (roCommands != null) {
                roCommands.close();
            }
            if (roEvents != null) {
                roEvents.close();
            }
        }
    }

    /** Replays the tail into the plan's engine, checking and completing the event journal. */
    private void apply(Plan plan) {
        engine = plan.engine();
        removeLeftovers();
        replay(plan.startSeq(), plan.lastCommand(), plan.lastEvent());
        report.snapshotSeq(plan.snapshot() == null ? -1 : plan.snapshot().seq());
        report.lastSeq(plan.lastCommand());
        report.replayed(plan.lastCommand() - plan.startSeq());
        lastSeq = plan.lastCommand();
    }

    /** The journal's command at the snapshot's sequence number must be the SNAPSHOT command that took it. */
    private static void checkSnapshotCommand(SingleChronicleQueue commands, SnapshotInfo info) {
        final Command c = new Command();
        try (JournalReader reader = new JournalReader(commands, false, info.seq())) {
            if (!reader.next(c)) {
                throw new Damage(Damage.Kind.SNAPSHOT, info.file(), info.seq(), "snapshot " + info.file().getFileName()
                    + ": the command journal has no seq " + info.seq());
            }
        } catch (JournalException e) {
            throw new Damage(Damage.Kind.COMMANDS, null, e.seq() > 0 ? e.seq() : info.seq(), e.getMessage());
        }
        if (c.type != CommandType.SNAPSHOT) {
            throw new Damage(Damage.Kind.SNAPSHOT, info.file(), info.seq(), "snapshot " + info.file().getFileName()
                + ": the journal's command at seq " + info.seq() + " is " + c.type + ", not a SNAPSHOT: the file"
                + " belongs to another journal");
        }
    }

    /** Validates commands from {@code fromSeq} to the end; returns the last sequence number. */
    private static long validateCommands(SingleChronicleQueue commands, long fromSeq, long entries) {
        final Command c = new Command();
        try (JournalReader reader = new JournalReader(commands, false, fromSeq)) {
            while (reader.next(c)) {
                // every entry checked: checksum, version, sequence
            }
            return reader.lastSeq();
        } catch (JournalException e) {
            final long after = e.seq() < 0 ? 0 : Math.max(0, entries - e.seq());
            throw new Damage(Damage.Kind.COMMANDS, null, e.seq(), e.getMessage()
                + (after > 0 ? "; " + after + " more entries follow it" : ""));
        }
    }

    private static long validateEvents(SingleChronicleQueue events, long fromSeq) {
        try (EventJournalReader reader = new EventJournalReader(events, false, fromSeq)) {
            while (reader.next()) {
                // checked
            }
            return reader.seq();
        } catch (JournalException e) {
            throw new Damage(Damage.Kind.EVENTS, null, e.seq(), e.getMessage());
        }
    }

    private void replay(long startSeq, long lastCommand, long lastEvent) {
        final Command c = new Command();
        final EventJournal.EntryWriter writer = new EventJournal.EntryWriter();
        ExcerptAppender appender = null;
        FrameWriter frames = null;
        long regenerated = 0;
        final long pruned = store.prunedThrough();
        try (JournalReader reader = new JournalReader(commands, false, startSeq + 1);
             EventJournalReader eventReader = new EventJournalReader(events, false, startSeq + 1)) {
            while (reader.next(c)) {
                engine.apply(c);
                if (c.seq <= lastEvent) {
                    if (!eventReader.next()) {
                        throw new JournalException("events: seq " + c.seq + " vanished while recovering");
                    }
                    checkSameEvents(c, eventReader);
                } else {
                    if (appender == null) {
                        appender = events.createAppender();
                        frames = new FrameWriter(appender);
                    }
                    writer.append(frames, c.seq, c.timestampMs, c.events().count(),
                        c.events().buffer().byteArray(), c.events().length());
                    frames.endEntry(false);
                    regenerated++;
                }
                if (c.type == CommandType.SNAPSHOT && c.seq > pruned && !Files.exists(store.fileFor(c.seq))) {
                    try {
                        store.write(engine);
                    } catch (IOException e) {
                        throw new JournalException("cannot write the missing snapshot at seq " + c.seq + ": "
                            + e.getMessage(), e);
                    }
                    report.snapshotWritten();
                    report.note("snapshot at seq " + c.seq + " was missing (a write interrupted or failed):"
                        + " written again");
                }
            }
            if (reader.lastSeq() != lastCommand) {
                throw new JournalException("commands: the journal changed while recovering (it ends at seq "
                    + reader.lastSeq() + ", not " + lastCommand + "): is another process writing it?");
            }
        } finally {
            if (appender != null) {
                frames.endFrame();
                appender.sync();
                appender.close();
            }
        }
        if (regenerated > 0) {
            report.eventsRegenerated(regenerated);
            report.note("the event journal ended at seq " + lastEvent + ": the events of seq " + (lastEvent + 1) + ".."
                + lastCommand + " were written again from the replay");
        }
    }

    /** The events this build produces for a journaled command must be the journal's, byte for byte. */
    static void checkSameEvents(Command c, EventJournalReader journaled) {
        final DirectBuffer expected = journaled.events();
        final int length = c.events().length();
        final String difference = difference(c, journaled, expected, length);
        if (difference != null) {
            throw new JournalException("events differ at seq " + c.seq + " (" + difference + "): this build does not"
                + " reproduce the journal; replay --verify shows the first difference", c.seq);
        }
    }

    static String difference(Command c, EventJournalReader journaled, DirectBuffer expected, int length) {
        if (journaled.timestampMs() != c.timestampMs) {
            return "timestamp " + c.timestampMs + " vs journaled " + journaled.timestampMs();
        }
        if (journaled.count() != c.events().count() || journaled.length() != length) {
            return c.events().count() + " events in " + length + " bytes vs journaled " + journaled.count()
                + " in " + journaled.length();
        }
        final DirectBuffer actual = c.events().buffer();
        for (int i = 0; i < length; i++) {
            if (actual.getByte(i) != expected.getByte(i)) {
                return "byte " + i + " of the command's events";
            }
        }
        return null;
    }

    private void removeLeftovers() {
        for (Path tmp : store.leftovers()) {
            try {
                Files.deleteIfExists(tmp);
                report.note("removed " + tmp.getFileName() + ", a snapshot write that was interrupted");
            } catch (IOException e) {
                report.note("could not remove " + tmp.getFileName() + ": " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ repairs

    private void repair(Damage d) {
        try {
            switch (d.kind) {
                case SNAPSHOT -> {
                    final Path aside = SnapshotStore.setAside(d.file);
                    report.repair(d.getMessage() + " -> set aside as " + aside.getFileName());
                }
                case COMMANDS -> {
                    final StringBuilder aside = new StringBuilder();
                    final long kept = cut(JournalFiles.COMMANDS, d.seq > 0 ? d.seq - 1 : Long.MAX_VALUE, aside);
                    report.repair(d.getMessage() + " -> commands cut back to seq " + kept + "; the damaged queue is"
                        + " kept as " + aside);
                }
                case EVENTS -> {
                    final StringBuilder aside = new StringBuilder();
                    final long kept = cut(JournalFiles.EVENTS, d.seq > 0 ? d.seq - 1 : Long.MAX_VALUE, aside);
                    report.repair(d.getMessage() + " -> events cut back to seq " + kept + " (the rest is written"
                        + " again from the replay); the damaged queue is kept as " + aside);
                }
                default -> throw new IllegalStateException(d.kind.name());
            }
        } catch (IOException e) {
            throw new JournalException("could not repair the journal (" + d.getMessage() + "): " + e, e);
        }
    }

    /**
     * Rewrites a queue with its valid entries from the first, at most {@code keep} of them (Chronicle cannot
     * truncate a queue in place): copies them into {@code NAME.repair} (in frames, whatever layout they were read
     * from), checking each (checksum, version, sequence number) and stopping early at the first that fails, synced; then renames the original to
     * {@code NAME.damaged-TIME} and the copy into place. An interruption leaves either the original or a complete
     * copy (see {@link #finishInterruptedRepair}).
     *
     * @return the entries kept
     */
    private long cut(String name, long keep, StringBuilder aside) throws IOException {
        final Path target = dir.resolve(name);
        final Path copy = dir.resolve(name + ".repair");
        deleteTree(copy);
        final boolean isCommands = name.equals(JournalFiles.COMMANDS);
        final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        final Command scratch = new Command();
        long kept = 0;
        // written to (Chronicle grows a cut file back to read it) but kept: it is moved aside below
        try (SingleChronicleQueue source = JournalFiles.open(dir, name, options, false);
             SingleChronicleQueue destination = JournalFiles.open(dir, name + ".repair",
                 options.withDurability(Durability.SYNC), false);
             QueueCursor cursor = new QueueCursor(source, name,
                 isCommands ? JournalEntries.COMMAND_SEQ_AT : JournalEntries.EVENTS_SEQ_AT);
             ExcerptAppender appender = destination.createAppender()) {
            final FrameWriter frames = new FrameWriter(appender);
            cursor.toSeq(1);
            while (kept < keep) {
                try {
                    if (!cursor.next()) {
                        break;
                    }
                } catch (QueueCursor.CorruptEntryException e) {
                    break;
                }
                final String problem;
                final long seq;
                if (isCommands) {
                    problem = JournalEntries.decodeCommand(cursor.data(), cursor.offset(), cursor.length(), view, crc,
                        scratch);
                    seq = scratch.seq;
                } else {
                    problem = JournalEntries.checkEvents(cursor.data(), cursor.offset(), cursor.length(), crc);
                    seq = problem == null ? JournalEntries.eventsSeq(cursor.data(), cursor.offset()) : -1;
                }
                if (problem != null || seq != kept + 1) {
                    break;
                }
                frames.beginEntry(seq, cursor.length()).write(cursor.data(), cursor.offset(), cursor.length());
                frames.endEntry(false);
                kept++;
            }
            frames.endFrame();
            appender.sync();
        }
        final Path damaged = dir.resolve(name + ".damaged-" + SnapshotStore.stamp());
        Files.move(target, damaged, StandardCopyOption.ATOMIC_MOVE);
        Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
        SnapshotStore.syncDirectory(dir);
        aside.append(damaged.getFileName());
        return kept;
    }

    /** A repair interrupted after the original was moved aside leaves a complete copy: put it in place. */
    private void finishInterruptedRepair(String name) {
        final Path target = dir.resolve(name);
        final Path copy = dir.resolve(name + ".repair");
        try {
            if (Files.isDirectory(copy)) {
                if (Files.isDirectory(target)) {
                    deleteTree(copy); // the copy was never finished: the original is untouched
                } else {
                    Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
                    report.repair("finished an interrupted repair of " + name);
                }
            }
        } catch (IOException e) {
            throw new JournalException("cannot finish the interrupted repair of " + name + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Something recovery found wrong that a repair can remove. */
    static final class Damage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        enum Kind { COMMANDS, EVENTS, SNAPSHOT }

        final Kind kind;
        final transient Path file;
        final long seq;

        Damage(Kind kind, Path file, long seq, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.file = file;
            this.seq = seq;
        }
    }
}
