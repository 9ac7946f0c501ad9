package org.perpcore.journal;

/** What opening a journal does when it finds a damaged tail, a damaged snapshot, or events past the commands. */
public enum OnCorrupt {
    /** The default: refuse to open, saying what is wrong and where; nothing is changed on disk. */
    STOP,
    /**
     * Repair and go on: cut the journal back to its last complete, valid command (and the event journal to match),
     * and set damaged snapshot files aside. Nothing is deleted: the damaged queue directories and snapshot files are
     * renamed with a {@code .damaged-<time>} suffix, and every step is reported.
     */
    TRUNCATE
}
