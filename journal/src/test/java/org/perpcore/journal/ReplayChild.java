package org.perpcore.journal;

import java.nio.file.Path;

/**
 * Replays a journal in this JVM and prints what {@link JournalReplayTest} compares across Java versions: the Java
 * version, the state hash, the event digest, and any divergence from the event journal. Argument: the journal.
 */
public final class ReplayChild {
    private ReplayChild() {
    }

    public static void main(String[] args) {
        final Replayer.Result r = Replayer.replay(Path.of(args[0]),
            Replayer.Options.ALL.withVerify(true).withFromStart(true));
        System.out.println("JAVA " + System.getProperty("java.version"));
        System.out.println("REPLAYED " + r.replayed());
        System.out.println("HASH " + Long.toHexString(r.stateHash()));
        System.out.println("DIGEST " + r.eventDigest());
        System.out.println("DIVERGENCE " + r.divergence());
    }
}
