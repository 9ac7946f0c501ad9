package org.perpcore.gateway.binance;

import org.perpcore.core.num.Decimal;

/**
 * A small JSON writer over a reused {@link StringBuilder}: it tracks whether a comma is due, so renderers write
 * fields in order without bookkeeping. Decimals are written as strings, as Binance sends them. Not thread safe:
 * each thread keeps its own.
 */
public final class JsonOut {
    private final StringBuilder sb;
    private boolean comma;

    public JsonOut(StringBuilder sb) {
        this.sb = sb;
    }

    public JsonOut() {
        this(new StringBuilder(1024));
    }

    public StringBuilder sb() {
        return sb;
    }

    public JsonOut reset() {
        sb.setLength(0);
        comma = false;
        return this;
    }

    private void sep() {
        if (comma) {
            sb.append(',');
        }
    }

    private JsonOut key(String k) {
        sep();
        sb.append('"').append(k).append("\":");
        comma = false;
        return this;
    }

    public JsonOut beginObject() {
        sep();
        sb.append('{');
        comma = false;
        return this;
    }

    public JsonOut beginObject(String k) {
        key(k);
        return beginObject();
    }

    public JsonOut endObject() {
        sb.append('}');
        comma = true;
        return this;
    }

    public JsonOut beginArray() {
        sep();
        sb.append('[');
        comma = false;
        return this;
    }

    public JsonOut beginArray(String k) {
        key(k);
        return beginArray();
    }

    public JsonOut endArray() {
        sb.append(']');
        comma = true;
        return this;
    }

    public JsonOut str(String k, CharSequence v) {
        key(k);
        return value(v);
    }

    public JsonOut value(CharSequence v) {
        sep();
        quote(sb, v);
        comma = true;
        return this;
    }

    public JsonOut num(String k, long v) {
        key(k);
        return value(v);
    }

    public JsonOut value(long v) {
        sep();
        sb.append(v);
        comma = true;
        return this;
    }

    public JsonOut bool(String k, boolean v) {
        key(k);
        sep();
        sb.append(v);
        comma = true;
        return this;
    }

    public JsonOut nul(String k) {
        key(k);
        sb.append("null");
        comma = true;
        return this;
    }

    /** A decimal string with exactly {@code decimals} fractional digits. */
    public JsonOut dec(String k, long e8, int decimals) {
        key(k);
        return decValue(e8, decimals);
    }

    public JsonOut decValue(long e8, int decimals) {
        sep();
        sb.append('"');
        Decimal.appendE8(sb, e8, decimals);
        sb.append('"');
        comma = true;
        return this;
    }

    /** Raw JSON text as the next value. */
    public JsonOut raw(String k, CharSequence json) {
        key(k);
        sep();
        sb.append(json);
        comma = true;
        return this;
    }

    public JsonOut rawValue(CharSequence json) {
        sep();
        sb.append(json);
        comma = true;
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.isSurrogate(c)) {
                        sb.append("\\u");
                        final String hex = Integer.toHexString(c);
                        for (int k = hex.length(); k < 4; k++) {
                            sb.append('0');
                        }
                        sb.append(hex);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
