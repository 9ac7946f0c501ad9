package org.perpcore.gateway.postmortem;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.sim.CascadeReport;

/** Escaping and number formats shared by the report's HTML, text and JSON. */
final class Html {
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Html() {
    }

    static String escape(String s) {
        final StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Money E8 as "1,234,567.89". */
    static String usd(long e8) {
        return CascadeReport.usd(e8);
    }

    /** Money E8 as "$12.3M". */
    static String usdShort(long e8) {
        return (e8 < 0 ? "-$" : "$") + SvgChart.compact(Math.abs(e8 / 1e8));
    }

    static String price(long e8) {
        return Decimal.toString(e8, 2);
    }

    static String qty(long e8) {
        return Decimal.toString(e8, 3);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String time(long ms) {
        return ms <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(ms));
    }

    static String clock(long ms) {
        return ms <= 0 ? "-" : CLOCK.format(Instant.ofEpochMilli(ms));
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    /** A funding rate (E8 fraction) as a percentage with four decimals. */
    static String rate(long e8) {
        return String.format(Locale.ROOT, "%.4f %%", e8 / 1e6);
    }

    /** A JSON string literal. */
    static String json(String s) {
        final StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
