package org.perpcore.gateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the command line ({@link Main#run}): its exit status and what it printed. */
record CliRun(int status, byte[] stdout, String stderr) {

    static CliRun of(String... argv) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(argv, o, e);
        }
        return new CliRun(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** A summary for assertion messages. */
    String describe() {
        final String text = stdoutText();
        return "exit status " + status + "\n--- stderr ---\n" + stderr + "--- stdout (" + stdout.length + " bytes) ---\n"
            + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
    }
}
