package org.perpcore.core.scenario;

/** Durations in scenario scripts and options: a whole number and a unit, {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}. */
public final class Durations {
    private Durations() {
    }

    /** Milliseconds, or -1 when the text is not a duration. */
    public static long parseMs(String text) {
        int i = 0;
        long v = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            v = v * 10 + (text.charAt(i) - '0');
            if (v > 1_000_000_000L) {
                return -1;
            }
            i++;
        }
        if (i == 0) {
            return -1;
        }
        return switch (text.substring(i)) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            case "d" -> v * 86_400_000;
            default -> -1;
        };
    }

    /** The shortest exact text for a duration ({@code 28800000 -> "8h"}). */
    public static String format(long ms) {
        if (ms % 86_400_000 == 0 && ms != 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms != 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
