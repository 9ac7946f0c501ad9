package org.perpcore.journal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What opening a journal did: where the state came from, how much was replayed, and every repair and notable
 * finding, in order. Nothing recovery does is silent: each step it took beyond restoring and replaying is in
 * {@link #repairs()} or {@link #notes()}.
 */
public final class RecoveryReport {
    private boolean fresh;
    private long snapshotSeq = -1;
    private long lastSeq;
    private long replayed;
    private long eventsRegenerated;
    private long snapshotsWritten;
    private final List<String> repairs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void fresh() {
        fresh = true;
    }

    void snapshotSeq(long seq) {
        snapshotSeq = seq;
    }

    void lastSeq(long seq) {
        lastSeq = seq;
    }

    void replayed(long n) {
        replayed = n;
    }

    void eventsRegenerated(long n) {
        eventsRegenerated = n;
    }

    void snapshotWritten() {
        snapshotsWritten++;
    }

    void repair(String what) {
        repairs.add(what);
    }

    void note(String what) {
        notes.add(what);
    }

    /** True when the directory held no journal: a new one was created. */
    public boolean isFresh() {
        return fresh;
    }

    /** The snapshot the state was restored from, or -1 when the whole journal was replayed. */
    public long snapshotSeq() {
        return snapshotSeq;
    }

    /** The last command in the journal (0 when empty); the next command gets {@code lastSeq() + 1}. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Commands replayed after the snapshot (or from the start). */
    public long replayed() {
        return replayed;
    }

    /** Commands whose events were missing from the event journal and were written again from the replay. */
    public long eventsRegenerated() {
        return eventsRegenerated;
    }

    /** Snapshot files that were missing (an interrupted or failed write) and were written again. */
    public long snapshotsWritten() {
        return snapshotsWritten;
    }

    /** Changes made to repair the journal ({@link OnCorrupt#TRUNCATE}): what was cut or set aside, and where. */
    public List<String> repairs() {
        return Collections.unmodifiableList(repairs);
    }

    /** Findings that needed no repair (an interrupted snapshot write removed, a snapshot skipped...). */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    /** One line: where the state came from and where the journal continues. */
    public String summary() {
        if (fresh) {
            return "new journal";
        }
        final StringBuilder s = new StringBuilder();
        s.append("restored seq 1..").append(lastSeq).append(" (");
        if (snapshotSeq >= 0) {
            s.append("snapshot at seq ").append(snapshotSeq).append(" + ").append(replayed).append(" commands");
        } else {
            s.append(replayed).append(" commands replayed");
        }
        s.append("); continuing at seq ").append(lastSeq + 1);
        if (eventsRegenerated > 0) {
            s.append("; events of ").append(eventsRegenerated).append(" commands written again");
        }
        if (snapshotsWritten > 0) {
            s.append("; ").append(snapshotsWritten).append(" missing snapshot(s) written again");
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return summary() + (repairs.isEmpty() ? "" : " repairs=" + repairs) + (notes.isEmpty() ? "" : " notes=" + notes);
    }
}
