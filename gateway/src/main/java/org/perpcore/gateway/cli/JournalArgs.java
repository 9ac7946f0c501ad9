package org.perpcore.gateway.cli;

import org.perpcore.journal.Durability;
import org.perpcore.journal.JournalOptions;
import org.perpcore.journal.OnCorrupt;

/**
 * The journal options of the command line: {@code --on-corrupt stop|truncate}, {@code --durability mapped|sync},
 * {@code --keep-snapshots K}.
 */
final class JournalArgs {
    private JournalArgs() {
    }

    /** @throws IllegalArgumentException naming the bad value and the accepted ones */
    static JournalOptions options(Args args) {
        JournalOptions options = JournalOptions.DEFAULT;
        final String onCorrupt = args.option("on-corrupt");
        if (onCorrupt != null) {
            options = options.withOnCorrupt(switch (onCorrupt) {
                case "stop" -> OnCorrupt.STOP;
                case "truncate" -> OnCorrupt.TRUNCATE;
                default -> throw new IllegalArgumentException("--on-corrupt must be stop or truncate, not '"
                    + onCorrupt + "'");
            });
        }
        final String durability = args.option("durability");
        if (durability != null) {
            options = options.withDurability(switch (durability) {
                case "mapped" -> Durability.MAPPED;
                case "sync" -> Durability.SYNC;
                default -> throw new IllegalArgumentException("--durability must be mapped or sync, not '"
                    + durability + "'");
            });
        }
        final String keep = args.option("keep-snapshots");
        if (keep != null) {
            final int k;
            try {
                k = Integer.parseInt(keep);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--keep-snapshots must be a whole number (0: keep all), not '" + keep
                    + "'");
            }
            if (k < 0) {
                throw new IllegalArgumentException("--keep-snapshots must be at least 1, or 0 to keep all, not " + k);
            }
            options = options.withKeepSnapshots(k);
        }
        return options;
    }
}
