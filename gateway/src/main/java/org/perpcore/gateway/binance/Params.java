package org.perpcore.gateway.binance;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.perpcore.core.num.Fixed;

/**
 * The parameters of one request (query string and form body together, as Binance reads them), with Binance's
 * checks and errors: a parameter given twice is -1101, a number that is not a plain decimal is -1100 with
 * Binance's legal range, more than 8 decimals of precision is -1111, a value that does not fit is -1130, a
 * missing one -1102. Parsing never throws anything but {@link ApiError}.
 */
public final class Params {
    /** Binance's pattern for decimal parameters. */
    public static final String DECIMAL_RANGE = "^([0-9]{1,20})(\\.[0-9]{1,20})?$";
    public static final String INTEGER_RANGE = "^[0-9]{1,20}$";
    public static final String SYMBOL_RANGE = "^[A-Z0-9-_.]{1,20}$";
    static final int MAX_PARAMS = 64;

    private final Map<String, String> values = new LinkedHashMap<>();

    private Params() {
    }

    /** Parses a query string and a form body (either may be empty or null). */
    public static Params parse(String query, String body) {
        final Params p = new Params();
        p.addAll(query);
        p.addAll(body);
        return p;
    }

    private void addAll(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        int start = 0;
        final int n = text.length();
        while (start <= n) {
            int end = text.indexOf('&', start);
            if (end < 0) {
                end = n;
            }
            if (end > start) {
                final int eq = text.indexOf('=', start);
                final String key;
                final String value;
                if (eq < 0 || eq > end) {
                    key = decode(text, start, end, "?");
                    value = "";
                } else {
                    key = decode(text, start, eq, "?");
                    value = decode(text, eq + 1, end, key);
                }
                if (key.isEmpty()) {
                    throw ApiError.mandatory("?");
                }
                if (values.containsKey(key)) {
                    throw ApiError.duplicate(key);
                }
                if (values.size() >= MAX_PARAMS) {
                    throw ApiError.tooManyParameters(MAX_PARAMS);
                }
                values.put(key, value);
            }
            start = end + 1;
        }
    }

    /** Percent-decoding of {@code s[from, to)} ('+' is a space); malformed escapes and control characters are -1100. */
    private static String decode(String s, int from, int to, String param) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c == '%' || c == '+') {
                plain = false;
            } else if (c < 0x20 || c > 0x7e) {
                throw ApiError.illegalChars(param, "printable ASCII");
            }
        }
        if (plain) {
            return s.substring(from, to);
        }
        final byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c == '+') {
                bytes[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= to) {
                    throw ApiError.illegalChars(param, "percent-encoded text");
                }
                final int hi = Character.digit(s.charAt(i + 1), 16);
                final int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiError.illegalChars(param, "percent-encoded text");
                }
                final int b = (hi << 4) | lo;
                if (b < 0x20 || b == 0x7f) {
                    throw ApiError.illegalChars(param, "printable characters");
                }
                bytes[n++] = (byte) b;
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    public boolean has(String key) {
        final String v = values.get(key);
        return v != null && !v.isEmpty();
    }

    /** The raw value, or null when absent or empty. */
    public String get(String key) {
        final String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    public String require(String key) {
        final String v = get(key);
        if (v == null) {
            throw ApiError.mandatory(key);
        }
        return v;
    }

    public int size() {
        return values.size();
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** A symbol: Binance's pattern, else -1100. Null when absent. */
    public String symbol(boolean required) {
        final String s = required ? require("symbol") : get("symbol");
        if (s != null && !matchesSymbol(s)) {
            throw ApiError.illegalChars("symbol", SYMBOL_RANGE);
        }
        return s;
    }

    static boolean matchesSymbol(String s) {
        if (s.length() > 20) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** A decimal parameter as E8; {@code Long.MIN_VALUE} when absent and not required. */
    public long decimalE8(String key, boolean required) {
        final String v = required ? require(key) : get(key);
        if (v == null) {
            return Long.MIN_VALUE;
        }
        return parseDecimalE8(key, v);
    }

    /**
     * Binance's decimal syntax ({@link #DECIMAL_RANGE}: no sign, no exponent, no NaN), at most 8 significant
     * decimals (trailing zeros beyond them are fine), and a value that fits E8 in a long.
     */
    public static long parseDecimalE8(String key, String v) {
        final int n = v.length();
        int i = 0;
        long intPart = 0;
        int intDigits = 0;
        boolean tooBig = false;
        while (i < n && v.charAt(i) != '.') {
            final char c = v.charAt(i);
            if (c < '0' || c > '9' || ++intDigits > 20) {
                throw ApiError.illegalChars(key, DECIMAL_RANGE);
            }
            if (intPart > (Long.MAX_VALUE / Fixed.E8 - 9) / 10) {
                tooBig = true;
            } else {
                intPart = intPart * 10 + (c - '0');
            }
            i++;
        }
        if (intDigits == 0) {
            throw ApiError.illegalChars(key, DECIMAL_RANGE);
        }
        long frac = 0;
        if (i < n) {
            i++;
            if (i == n || n - i > 20) {
                throw ApiError.illegalChars(key, DECIMAL_RANGE);
            }
            int digits = 0;
            for (; i < n; i++) {
                final char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    throw ApiError.illegalChars(key, DECIMAL_RANGE);
                }
                if (digits < 8) {
                    frac = frac * 10 + (c - '0');
                } else if (c != '0') {
                    throw ApiError.precision(key);
                }
                digits++;
            }
            for (; digits < 8; digits++) {
                frac *= 10;
            }
        }
        if (tooBig) {
            throw ApiError.invalidParameter(key);
        }
        return intPart * Fixed.E8 + frac;
    }

    /** A non-negative integer parameter; {@code Long.MIN_VALUE} when absent and not required. */
    public long integer(String key, boolean required) {
        final String v = required ? require(key) : get(key);
        if (v == null) {
            return Long.MIN_VALUE;
        }
        return parseInteger(key, v);
    }

    public static long parseInteger(String key, String v) {
        final int n = v.length();
        if (n == 0 || n > 20) {
            throw ApiError.illegalChars(key, INTEGER_RANGE);
        }
        long r = 0;
        for (int i = 0; i < n; i++) {
            final char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw ApiError.illegalChars(key, INTEGER_RANGE);
            }
            if (r > (Long.MAX_VALUE - 9) / 10) {
                throw ApiError.invalidParameter(key);
            }
            r = r * 10 + (c - '0');
        }
        return r;
    }

    /** An integer within {@code [min, max]} (else -1130), or {@code dflt} when absent. */
    public int intIn(String key, int dflt, int min, int max) {
        final long v = integer(key, false);
        if (v == Long.MIN_VALUE) {
            return dflt;
        }
        if (v < min || v > max) {
            throw ApiError.invalidParameter(key);
        }
        return (int) v;
    }

    /** "true"/"false" (any case), else -1130; {@code dflt} when absent. */
    public boolean bool(String key, boolean dflt) {
        final String v = get(key);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiError.invalidParameter(key);
    }
}
