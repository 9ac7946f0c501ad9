package org.perpcore.gateway.binance;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import org.perpcore.core.num.Fixed;

/**
 * The parameters of one request (query string and form body together, as Binance reads them), with Binance's
 * checks and errors: a parameter given twice is -1101, a number that is not a plain decimal is -1100 with
 * Binance's legal range, more than 8 decimals of precision is -1111, a value that does not fit is -1130, a
 * missing one -1102. Parsing never throws anything but {@link ApiError}.
 *
 * <p>A reused table, one per event-loop thread ({@link #forThisThread}): the request's raw bytes are copied in
 * once, each parameter's key and percent-decoded value are kept as offsets into a byte array, and numbers, enum
 * values and the signature are read from those bytes. A request allocates only the strings it keeps (a client
 * order id); the symbol's string is reused while requests name the same one. A value holding a byte above 0x7F
 * (only possible percent-encoded) is read through a real {@link String}, exactly as a string-keyed table did.
 * The signed payload ({@link #signedPayload}) is the raw query and body without their {@code signature}
 * parameter, fed to the MAC as bytes.
 */
public final class Params {
    /** Binance's pattern for decimal parameters. */
    public static final String DECIMAL_RANGE = "^([0-9]{1,20})(\\.[0-9]{1,20})?$";
    public static final String INTEGER_RANGE = "^[0-9]{1,20}$";
    public static final String SYMBOL_RANGE = "^[A-Z0-9-_.]{1,20}$";
    static final int MAX_PARAMS = 64;
    /** {@link #choice}: the parameter is absent (or empty). */
    public static final int ABSENT = -1;
    /** {@link #choice}: the value is none of the choices. */
    public static final int OTHER = -2;

    private static final ThreadLocal<Params> TABLES = ThreadLocal.withInitial(Params::new);
    private static final byte[] SIGNATURE = "signature=".getBytes(StandardCharsets.US_ASCII);

    /** The request as received: the query string's bytes, then the form body's. */
    private byte[] raw = new byte[1024];
    private int queryLength;
    private int rawLength;
    /** Decoded keys and values, back to back. */
    private byte[] decoded = new byte[1024];
    private int decodedLength;
    private int count;
    /** Per parameter (one more slot than allowed: the one that is refused is parsed there first). */
    private final int[] keyAt = new int[MAX_PARAMS + 1];
    private final int[] keyLength = new int[MAX_PARAMS + 1];
    private final int[] valueAt = new int[MAX_PARAMS + 1];
    private final int[] valueLength = new int[MAX_PARAMS + 1];
    /** Parameters whose key or value holds a byte above 0x7F. */
    private final boolean[] keyHigh = new boolean[MAX_PARAMS + 1];
    private final boolean[] valueHigh = new boolean[MAX_PARAMS + 1];
    /** The ASCII value handed out by {@link #view}: valid until the next call. */
    private final Ascii view = new Ascii();
    private String lastSymbol = "";

    private Params() {
    }

    /** This thread's table, empty. */
    public static Params forThisThread() {
        return TABLES.get().clear();
    }

    private Params clear() {
        queryLength = 0;
        rawLength = 0;
        decodedLength = 0;
        count = 0;
        return this;
    }

    /**
     * Fills this table from the query string {@code uri[from..]} (empty when {@code from} is past its end) and the
     * readable bytes of a form body (null: none), and parses both.
     */
    public Params parse(String uri, int from, ByteBuf body) {
        copyQuery(uri, from);
        if (body != null && body.isReadable()) {
            final int n = body.readableBytes();
            ensureRaw(rawLength + n);
            body.getBytes(body.readerIndex(), raw, rawLength, n);
            rawLength += n;
        }
        parseAll();
        return this;
    }

    private void copyQuery(String text, int from) {
        if (text != null) {
            final int n = text.length();
            ensureRaw(n - from);
            for (int i = from; i < n; i++) {
                raw[rawLength++] = (byte) text.charAt(i); // Netty's request line: one char per byte
            }
        }
        queryLength = rawLength;
    }

    private void ensureRaw(int n) {
        if (n > raw.length) {
            raw = java.util.Arrays.copyOf(raw, Math.max(n, 2 * raw.length));
        }
    }

    private void parseAll() {
        // every decoded byte comes from at least one raw byte: the raw length bounds the decoded one
        if (decoded.length < rawLength) {
            decoded = java.util.Arrays.copyOf(decoded, Math.max(rawLength, 2 * decoded.length));
        }
        addAll(0, queryLength);
        addAll(queryLength, rawLength);
    }

    private void addAll(int from, int to) {
        int start = from;
        while (start <= to) {
            int end = indexOf((byte) '&', start, to);
            if (end < 0) {
                end = to;
            }
            if (end > start) {
                final int eq = indexOf((byte) '=', start, end);
                final int k = count;
                keyAt[k] = decodedLength;
                keyHigh[k] = decode(start, eq < 0 ? end : eq, -1);
                keyLength[k] = decodedLength - keyAt[k];
                valueAt[k] = decodedLength;
                valueHigh[k] = eq >= 0 && decode(eq + 1, end, k);
                valueLength[k] = decodedLength - valueAt[k];
                if (keyLength[k] == 0) {
                    throw ApiError.mandatory("?");
                }
                for (int i = 0; i < k; i++) {
                    if (sameKey(i, k)) {
                        throw ApiError.duplicate(key(k));
                    }
                }
                if (count >= MAX_PARAMS) {
                    throw ApiError.tooManyParameters(MAX_PARAMS);
                }
                count++;
            }
            start = end + 1;
        }
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Percent-decodes {@code raw[from, to)} onto the end of {@link #decoded} ('+' is a space); a control
     * character or a byte outside printable ASCII is -1100, as are malformed escapes. {@code keyOf} is the
     * parameter whose value this is (-1: a key, named "?" in errors). Returns whether a decoded byte is above 0x7F.
     */
    private boolean decode(int from, int to, int keyOf) {
        for (int i = from; i < to; i++) {
            final int c = raw[i] & 0xff;
            if (c != '%' && c != '+' && (c < 0x20 || c > 0x7e)) {
                throw ApiError.illegalChars(keyOf < 0 ? "?" : key(keyOf), "printable ASCII");
            }
        }
        boolean high = false;
        for (int i = from; i < to; i++) {
            final int c = raw[i];
            if (c == '+') {
                decoded[decodedLength++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= to) {
                    throw ApiError.illegalChars(keyOf < 0 ? "?" : key(keyOf), "percent-encoded text");
                }
                final int hi = Character.digit(raw[i + 1], 16);
                final int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw ApiError.illegalChars(keyOf < 0 ? "?" : key(keyOf), "percent-encoded text");
                }
                final int b = (hi << 4) | lo;
                if (b < 0x20 || b == 0x7f) {
                    throw ApiError.illegalChars(keyOf < 0 ? "?" : key(keyOf), "printable characters");
                }
                high |= b > 0x7f;
                decoded[decodedLength++] = (byte) b;
                i += 2;
            } else {
                decoded[decodedLength++] = (byte) c;
            }
        }
        return high;
    }

    /** Keys are equal as the strings they decode to (bytes above 0x7F as UTF-8, malformed ones replaced). */
    private boolean sameKey(int a, int b) {
        if (keyHigh[a] || keyHigh[b]) {
            return key(a).equals(key(b));
        }
        return java.util.Arrays.equals(decoded, keyAt[a], keyAt[a] + keyLength[a], decoded, keyAt[b],
            keyAt[b] + keyLength[b]);
    }

    private String key(int i) {
        return new String(decoded, keyAt[i], keyLength[i], StandardCharsets.UTF_8);
    }

    private String value(int i) {
        return new String(decoded, valueAt[i], valueLength[i], StandardCharsets.UTF_8);
    }

    /** The parameter named {@code name} with a non-empty value, or -1. */
    private int find(String name) {
        final int n = name.length();
        for (int i = 0; i < count; i++) {
            if (keyLength[i] == n && !keyHigh[i] && valueLength[i] > 0 && sameAscii(keyAt[i], name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean sameAscii(int at, CharSequence s) {
        for (int j = 0, n = s.length(); j < n; j++) {
            if (decoded[at + j] != s.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** Parameter {@code i}'s value without allocating when it is ASCII (the view is valid until the next call). */
    private CharSequence view(int i) {
        if (valueHigh[i]) {
            return value(i);
        }
        view.at = valueAt[i];
        view.length = valueLength[i];
        return view;
    }

    public boolean has(String key) {
        return find(key) >= 0;
    }

    /** The raw value, or null when absent or empty. */
    public String get(String key) {
        final int i = find(key);
        return i < 0 ? null : value(i);
    }

    public String require(String key) {
        final String v = get(key);
        if (v == null) {
            throw ApiError.mandatory(key);
        }
        return v;
    }

    /** The value of a required parameter, as a view valid until the next call on this table. */
    public CharSequence requireView(String key) {
        final int i = find(key);
        if (i < 0) {
            throw ApiError.mandatory(key);
        }
        return view(i);
    }

    /**
     * Which of {@code choices} the value is (exactly, case included): its index, {@link #ABSENT} when the parameter
     * is absent or empty, {@link #OTHER} when it is none of them.
     */
    public int choice(String key, String[] choices) {
        final int i = find(key);
        if (i < 0) {
            return ABSENT;
        }
        if (!valueHigh[i]) {
            for (int c = 0; c < choices.length; c++) {
                if (choices[c].length() == valueLength[i] && sameAscii(valueAt[i], choices[c])) {
                    return c;
                }
            }
        }
        return OTHER;
    }

    /** {@link #choice} of a required parameter: absent is -1102. */
    public int requireChoice(String key, String[] choices) {
        final int c = choice(key, choices);
        if (c == ABSENT) {
            throw ApiError.mandatory(key);
        }
        return c;
    }

    public int size() {
        return count;
    }

    /** A symbol: Binance's pattern, else -1100. Null when absent. */
    public String symbol(boolean required) {
        final int i = find("symbol");
        if (i < 0) {
            if (required) {
                throw ApiError.mandatory("symbol");
            }
            return null;
        }
        final CharSequence s = view(i);
        if (!matchesSymbol(s)) {
            throw ApiError.illegalChars("symbol", SYMBOL_RANGE);
        }
        if (!lastSymbol.contentEquals(s)) {
            lastSymbol = s.toString();
        }
        return lastSymbol;
    }

    static boolean matchesSymbol(CharSequence s) {
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
        final int i = find(key);
        if (i < 0) {
            if (required) {
                throw ApiError.mandatory(key);
            }
            return Long.MIN_VALUE;
        }
        return parseDecimalE8(key, view(i));
    }

    /**
     * Binance's decimal syntax ({@link #DECIMAL_RANGE}: no sign, no exponent, no NaN), at most 8 significant
     * decimals (trailing zeros beyond them are fine), and a value that fits E8 in a long.
     */
    public static long parseDecimalE8(String key, CharSequence v) {
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
        final int i = find(key);
        if (i < 0) {
            if (required) {
                throw ApiError.mandatory(key);
            }
            return Long.MIN_VALUE;
        }
        return parseInteger(key, view(i));
    }

    public static long parseInteger(String key, CharSequence v) {
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
        final int i = find(key);
        if (i < 0) {
            return dflt;
        }
        final CharSequence v = view(i);
        if (equalsIgnoreCase(v, "true")) {
            return true;
        }
        if (equalsIgnoreCase(v, "false")) {
            return false;
        }
        throw ApiError.invalidParameter(key);
    }

    /** {@link String#equalsIgnoreCase} with a lower-case ASCII {@code s}, for a view or a string. */
    private static boolean equalsIgnoreCase(CharSequence v, String s) {
        if (v instanceof String str) {
            return str.equalsIgnoreCase(s);
        }
        if (v.length() != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.toLowerCase(v.charAt(i)) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Feeds {@code mac} the signed payload: the query string, then the body, each as received without its
     * {@code signature} parameter (the first one at its start or after a '&amp;', through to the next '&amp;'),
     * as the client signed them.
     */
    public void signedPayload(Mac mac) {
        unsigned(mac, 0, queryLength);
        unsigned(mac, queryLength, rawLength);
    }

    private void unsigned(Mac mac, int from, int to) {
        int at = startsWithSignature(from, to) ? from : -1;
        if (at < 0) {
            for (int i = from; i < to; i++) {
                if (raw[i] == '&' && startsWithSignature(i + 1, to)) {
                    at = i;
                    break;
                }
            }
        }
        if (at < 0) {
            mac.update(raw, from, to - from);
            return;
        }
        final int valueStart = indexOf((byte) '=', at, to) + 1;
        int end = indexOf((byte) '&', valueStart, to);
        if (end < 0) {
            end = to;
        }
        if (at == from) {
            if (end < to) {
                mac.update(raw, end + 1, to - end - 1);
            }
            return;
        }
        mac.update(raw, from, at - from);
        mac.update(raw, end, to - end);
    }

    private boolean startsWithSignature(int at, int to) {
        if (to - at < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (raw[at + i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** An ASCII value in {@link #decoded}, as characters. */
    private final class Ascii implements CharSequence {
        int at;
        int length;

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) decoded[at + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return new String(decoded, at, length, StandardCharsets.US_ASCII);
        }
    }
}
