package org.perpcore.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.EngineSnapshot;
import org.perpcore.core.model.CommandType;

/**
 * Checks a journal's integrity offline, read only, without replaying it: every command entry (checksum, schema
 * version, sequence numbers 1, 2, 3... without a gap), every events entry (the same, and the same sequence number
 * and timestamp as its command), the snapshot files (header, checksum of the whole file, a SNAPSHOT command at
 * their sequence number, a file for every SNAPSHOT command), and what interrupted writes left behind.
 * {@link Report#errors()} lists what makes the journal unusable as it is; {@link Report#warnings()} what recovery
 * deals with by itself (events not yet journaled after a crash, an interrupted snapshot write).
 */
public final class JournalVerifier {
    private JournalVerifier() {
    }

    /** What {@link #verify} found. */
    public static final class Report {
        private long commands;
        private long lastSeq;
        private long commandEntries;
        private long eventEntries;
        private long lastEventSeq;
        private long events;
        private final Map<CommandType, Long> byType = new EnumMap<>(CommandType.class);
        private final List<SnapshotInfo> snapshots = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private long prunedThrough;
        private long prunedSnapshots;

        /** Valid commands, from seq 1. */
        public long commands() {
            return commands;
        }

        /** The last valid command's sequence number. */
        public long lastSeq() {
            return lastSeq;
        }

        /** Entries in the command queue, valid or not. */
        public long commandEntries() {
            return commandEntries;
        }

        public long eventEntries() {
            return eventEntries;
        }

        /** The last valid events entry's sequence number. */
        public long lastEventSeq() {
            return lastEventSeq;
        }

        /** Events in the valid events entries. */
        public long events() {
            return events;
        }

        public Map<CommandType, Long> commandsByType() {
            return Collections.unmodifiableMap(byType);
        }

        /** Snapshot files with their header (a problem found in the file is in {@link #errors()}). */
        public List<SnapshotInfo> snapshots() {
            return Collections.unmodifiableList(snapshots);
        }

        /** The highest seq whose snapshot was deleted on purpose (snapshot pruning; 0: none). */
        public long prunedThrough() {
            return prunedThrough;
        }

        /** SNAPSHOT commands whose files were deleted by snapshot pruning (not an error). */
        public long prunedSnapshots() {
            return prunedSnapshots;
        }

        public List<String> errors() {
            return Collections.unmodifiableList(errors);
        }

        public List<String> warnings() {
            return Collections.unmodifiableList(warnings);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Verifies {@code dir}.
     *
     * @throws JournalException only when {@code dir} is not a journal at all
     */
    public static Report verify(Path dir) {
        if (!JournalFiles.isJournal(dir)) {
            throw new JournalException(dir + " is not a Perpcore journal (no " + JournalFiles.COMMANDS + "/ in it)");
        }
        final Report r = new Report();
        checkLock(dir, r);
        final TreeSet<Long> snapshotCommands = new TreeSet<>();
        final boolean hasEvents = Files.isDirectory(dir.resolve(JournalFiles.EVENTS));
        if (!hasEvents) {
            r.errors.add("there is no event journal (" + JournalFiles.EVENTS + "/)");
        }
        try (SingleChronicleQueue commands = JournalReader.openReadOnly(dir);
             SingleChronicleQueue events = hasEvents ? EventJournalReader.openReadOnly(dir) : null;
             JournalReader reader = new JournalReader(commands, false, 1);
             EventJournalReader eventReader = events == null ? null : new EventJournalReader(events, false, 1)) {
            r.commandEntries = reader.entryCount();
            r.eventEntries = eventReader == null ? 0 : eventReader.entryCount();
            final Command c = new Command();
            boolean eventsOk = eventReader != null;
            while (true) {
                try {
                    if (!reader.next(c)) {
                        break;
                    }
                } catch (JournalException e) {
                    final long after = Math.max(0, r.commandEntries - e.seq());
                    r.errors.add(e.getMessage() + (after > 0 ? " (" + after + " more entries follow it)" : "")
                        + (after == 0 ? ": a torn or damaged last entry" : ""));
                    break;
                }
                r.commands++;
                r.lastSeq = c.seq;
                r.byType.merge(c.type, 1L, Long::sum);
                if (c.type == CommandType.SNAPSHOT) {
                    snapshotCommands.add(c.seq);
                }
                if (eventsOk) {
                    try {
                        if (eventReader.next()) {
                            r.lastEventSeq = eventReader.seq();
                            r.events += eventReader.count();
                            if (eventReader.timestampMs() != c.timestampMs) {
                                r.errors.add(JournalFiles.EVENTS + ": seq " + c.seq + " is stamped "
                                    + eventReader.timestampMs() + ", its command " + c.timestampMs);
                                eventsOk = false;
                            }
                        } else {
                            eventsOk = false;
                            r.warnings.add(JournalFiles.EVENTS + ": the event journal ends at seq " + r.lastEventSeq
                                + " and the commands go on to seq " + r.commandEntries + ": their events were not"
                                + " journaled yet (a crash before the output stage); opening the journal writes them");
                        }
                    } catch (JournalException e) {
                        r.errors.add(e.getMessage());
                        eventsOk = false;
                    }
                }
            }
            if (eventsOk) {
                try {
                    if (eventReader.next()) {
                        r.errors.add(JournalFiles.EVENTS + ": the event journal goes on past the last valid command"
                            + " (seq " + r.lastSeq + "), to " + r.eventEntries + " entries");
                    }
                } catch (JournalException e) {
                    r.errors.add(e.getMessage() + " (past the last valid command, seq " + r.lastSeq + ")");
                }
            }
        }
        checkSnapshots(dir, r, snapshotCommands);
        checkLeftovers(dir, r);
        return r;
    }

    private static void checkSnapshots(Path dir, Report r, TreeSet<Long> snapshotCommands) {
        final SnapshotStore store = new SnapshotStore(dir);
        long pruned = 0;
        try {
            pruned = store.prunedThrough();
        } catch (JournalException e) {
            r.errors.add(e.getMessage());
        }
        r.prunedThrough = pruned;
        final TreeSet<Long> files = new TreeSet<>();
        for (SnapshotInfo s : store.list()) {
            r.snapshots.add(s);
            files.add(s.seq());
            final String problem = store.check(s);
            final String name = "snapshot " + s.file().getFileName();
            if (problem != null) {
                r.errors.add(name + ": " + problem);
            } else if (s.seq() > r.lastSeq) {
                r.errors.add(name + " is at seq " + s.seq() + ", beyond the last valid command (seq " + r.lastSeq
                    + ")");
            } else if (!snapshotCommands.contains(s.seq())) {
                r.errors.add(name + ": the command at seq " + s.seq() + " is not a SNAPSHOT: the file belongs to"
                    + " another journal");
            }
        }
        for (long seq : snapshotCommands) {
            if (seq <= pruned && !files.contains(seq)) {
                r.prunedSnapshots++;
            } else if (!files.contains(seq)) {
                r.errors.add("snapshot at seq " + seq + " is missing: the journal has its SNAPSHOT command but no "
                    + store.fileFor(seq).getFileName() + " (opening the journal writes it again)");
            }
        }
    }

    private static void checkLeftovers(Path dir, Report r) {
        final SnapshotStore store = new SnapshotStore(dir);
        for (Path tmp : store.leftovers()) {
            r.warnings.add(tmp.getFileName() + " is an interrupted snapshot write (opening the journal removes it)");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.damaged-*")) {
            for (Path p : entries) {
                r.warnings.add(p.getFileName() + " was set aside by an earlier repair");
            }
        } catch (IOException e) {
            r.warnings.add("cannot list " + dir + ": " + e.getMessage());
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(store.dir(), "*.damaged-*")) {
            for (Path p : entries) {
                r.warnings.add(p.getFileName() + " was set aside by an earlier repair");
            }
        } catch (IOException e) {
            // no snapshot directory: nothing set aside
        }
    }

    private static void checkLock(Path dir, Report r) {
        final Path lockFile = dir.resolve(JournalFiles.LOCK);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            final FileLock lock = ch.tryLock();
            if (lock == null) {
                r.warnings.add("the journal is open in another process: its tail may be growing while it is checked");
            } else {
                lock.release();
            }
        } catch (IOException | OverlappingFileLockException e) {
            r.warnings.add("the journal is open (" + e.getMessage() + "): its tail may be growing while it is checked");
        }
    }

    /**
     * Schema versions this build reads, for reports: commands, events, snapshot file, engine state, and the document
     * layouts (frames, and one entry per document).
     */
    public static String versions() {
        return "commands " + CommandCodec.VERSION + ", events " + JournalEntries.EVENTS_VERSION + ", snapshots "
            + SnapshotStore.FILE_VERSION + "/" + EngineSnapshot.FORMAT_VERSION + ", layouts 2 and 1";
    }
}
