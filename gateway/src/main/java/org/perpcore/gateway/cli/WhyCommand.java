package org.perpcore.gateway.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.perpcore.gateway.postmortem.AccountTimeline;
import org.perpcore.journal.JournalException;

/** {@code perpcore why JOURNAL ACCOUNT}: one account's timeline from a journal's events, as plain text. */
final class WhyCommand {
    static final String USAGE = "usage: perpcore why JOURNAL ACCOUNT";

    private WhyCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final String journal = args.positional(0);
        final String account = args.positional(1);
        if (journal == null || account == null || args.positional(2) != null) {
            err.println(USAGE);
            return 2;
        }
        final Path dir = Path.of(journal);
        if (!Files.isDirectory(dir)) {
            err.println("perpcore why: no journal at " + dir);
            return 2;
        }
        try {
            out.print(AccountTimeline.of(dir, account));
            return 0;
        } catch (JournalException | IllegalArgumentException e) {
            err.println("perpcore why: " + e.getMessage());
            return 2;
        }
    }
}
