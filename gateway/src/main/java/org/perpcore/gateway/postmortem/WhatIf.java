package org.perpcore.gateway.postmortem;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.journal.JournalReader;
import org.perpcore.journal.Replayer;

/**
 * A what-if replay: a journal's commands, read in order, through {@link RiskOverrides} into a fresh engine (on this
 * thread: no pipeline, no journal written), its events into a {@link PostMortemBuilder}, and the liquidation map
 * taken from the engine when the stream passes the map time. The journal is only read.
 */
public final class WhatIf {
    private WhatIf() {
    }

    /** The market symbols the journal's commands create or update. */
    public static Set<String> markets(Path dir) {
        final Set<String> symbols = new HashSet<>();
        final Command c = new Command();
        try (JournalReader reader = new JournalReader(dir)) {
            while (reader.next(c)) {
                if (c.type == CommandType.MARKET) {
                    symbols.add(c.symbol.toString());
                }
            }
        }
        return symbols;
    }

    /**
     * Replays {@code dir}'s commands under {@code overrides}.
     *
     * @param mapTimeMs when to take the liquidation map (the base report's time), or null for none
     */
    public static PostMortem run(Path dir, RiskOverrides overrides, Long mapTimeMs, Replayer.Progress progress) {
        final Engine engine = new Engine(1 << 16, 1 << 16);
        final PostMortemBuilder builder = new PostMortemBuilder();
        final Command c = new Command();
        final long[] seq = {0};
        final LiquidationMap[] map = {null};
        final boolean[] mapped = {mapTimeMs == null};
        long read = 0;
        try (JournalReader reader = new JournalReader(dir)) {
            final long total = reader.entryCount();
            while (reader.next(c)) {
                if (!mapped[0] && c.timestampMs > mapTimeMs) {
                    map[0] = builder.symbol().isEmpty() ? null : LiquidationMap.of(engine, builder.symbol());
                    mapped[0] = true;
                }
                overrides.feed(c, command -> {
                    command.seq = ++seq[0];
                    command.events().clear();
                    engine.apply(command);
                    builder.accept(command);
                });
                if (++read % 65_536 == 0) {
                    progress.update(read, total);
                }
            }
            progress.update(read, total);
        }
        if (!mapped[0] && !builder.symbol().isEmpty()) {
            map[0] = LiquidationMap.of(engine, builder.symbol());
        }
        return builder.build(map[0]);
    }

    /** The change from {@code a} to {@code b}: "+1,234 (+5.6 %)", "unchanged". */
    static String change(Figures.Figure a, Figures.Figure b) {
        final long d = b.value() - a.value();
        if (d == 0) {
            return "unchanged";
        }
        final String abs = switch (a.kind()) {
            case COUNT -> String.format(Locale.ROOT, "%,d", Math.abs(d));
            case USD -> Html.usd(Math.abs(d));
            case PRICE -> Html.price(Math.abs(d));
        };
        final String pct = a.value() == 0 ? "" : String.format(Locale.ROOT, " (%+.1f %%)", 100.0 * d / Math.abs(a.value()));
        return (d > 0 ? "+" : "-") + abs + pct;
    }

    /** Both runs' figures side by side, as text. */
    public static String sideBySide(Comparison c) {
        final List<Figures.Figure> a = Figures.of(c.base());
        final List<Figures.Figure> b = Figures.of(c.changed());
        int w0 = "figure".length();
        int w1 = "as run".length();
        int w2 = "what if".length();
        for (int i = 0; i < a.size(); i++) {
            w0 = Math.max(w0, a.get(i).label().length());
            w1 = Math.max(w1, a.get(i).text().length());
            w2 = Math.max(w2, b.get(i).text().length());
        }
        final String row = "%-" + w0 + "s  %" + w1 + "s  %" + w2 + "s  %s%n";
        final StringBuilder s = new StringBuilder(4096);
        s.append("what if: ").append(String.join(", ", c.settings())).append('\n');
        s.append(String.format(Locale.ROOT, row, "figure", "as run", "what if", "change"));
        for (int i = 0; i < a.size(); i++) {
            s.append(String.format(Locale.ROOT, row, a.get(i).label(), a.get(i).text(), b.get(i).text(),
                change(a.get(i), b.get(i))));
        }
        return s.toString();
    }
}
