package org.perpcore.gateway.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.perpcore.core.pipeline.PipelineConfig;

/** Command-line arguments: positional words and {@code --name value} options (or {@code --flag}). */
final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    Args(String[] argv, int from) {
        this(argv, from, java.util.Set.of());
    }

    /** As above, where the options named in {@code flags} never take a value (so {@code --verify DIR} works). */
    Args(String[] argv, int from, java.util.Set<String> flags) {
        for (int i = from; i < argv.length; i++) {
            final String a = argv[i];
            if (a.startsWith("--")) {
                final String name = a.substring(2);
                final int eq = name.indexOf('=');
                if (eq > 0) {
                    options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (flags.contains(name)) {
                    options.put(name, "true");
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    options.put(name, argv[++i]);
                } else {
                    options.put(name, "true");
                }
            } else {
                positional.add(a);
            }
        }
    }

    String positional(int i) {
        return i < positional.size() ? positional.get(i) : null;
    }

    String option(String name) {
        return options.get(name);
    }

    boolean flag(String name) {
        return "true".equals(options.get(name));
    }

    /**
     * {@code --snapshot-every N}: a positive number of commands, or {@code absent} when the option is not given.
     *
     * @throws IllegalArgumentException when it is not a positive whole number
     */
    static long snapshotEvery(Args args, long absent) {
        final String every = args.option("snapshot-every");
        if (every == null) {
            return absent;
        }
        try {
            final long n = Long.parseLong(every);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--snapshot-every must be a positive number of commands, not '" + every
            + "'");
    }

    /** Pipeline layout from {@code --wait-strategy} and {@code --layout fused|split}. */
    static PipelineConfig pipelineConfig(Args args) {
        PipelineConfig config = PipelineConfig.DEFAULT;
        final String wait = args.option("wait-strategy");
        if (wait != null) {
            config = config.withWaitStrategy(wait);
        }
        final String layout = args.option("layout");
        if (layout != null) {
            if (!layout.equals("fused") && !layout.equals("split")) {
                throw new IllegalArgumentException("--layout must be fused or split, not '" + layout + "'");
            }
            config = config.withFused(layout.equals("fused"));
        }
        return config;
    }
}
