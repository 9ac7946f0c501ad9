package org.perpcore.gateway.cli;

import java.io.PrintStream;
import org.perpcore.journal.Replayer;

/**
 * A one-line progress bar redrawn in place on stderr, at most ten times a second, and only when stderr is a
 * terminal (the launcher passes {@code -Dperpcore.stderr.tty=true} when it is): a log or a pipe gets no bar at all.
 */
final class ProgressBar implements Replayer.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String label;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private boolean drawn;

    private ProgressBar(PrintStream err, String label, boolean enabled) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
    }

    static ProgressBar forStderr(PrintStream err, String label) {
        return new ProgressBar(err, label, Boolean.getBoolean("perpcore.stderr.tty"));
    }

    @Override
    public void update(long done, long total) {
        if (!enabled) {
            return;
        }
        final long now = System.nanoTime();
        if (drawn && now - lastDrawNanos < 100_000_000L && done < total) {
            return;
        }
        lastDrawNanos = now;
        drawn = true;
        final int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        final double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
            + (total <= 0 ? 100 : done * 100 / total) + "% " + done + "/" + total + " commands, "
            + String.format("%.2f", done / seconds / 1e6) + " M/s ");
        err.flush();
    }

    /** Ends the bar's line (if one was drawn). Idempotent. */
    void done() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
