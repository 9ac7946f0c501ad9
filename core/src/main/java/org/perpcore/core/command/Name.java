package org.perpcore.core.command;

/**
 * A short ASCII identifier carried by value in a command: an account name, a symbol or a client order id.
 * Mutable and reused, so commands carry names without allocating. Legal characters are Binance's client order id
 * set, {@code [A-Za-z0-9._:/-]}; the engine rejects anything else (-1100) and never trusts {@link #set} callers.
 */
public final class Name {
    /** Longest name a command can carry. Client order ids are further limited to 36 (Binance). */
    public static final int CAPACITY = 64;

    // 7 bytes of slack so that lookupHash can read eight bytes at any offset of the content
    private final byte[] bytes = new byte[CAPACITY + 8];
    private int length;

    /** Sets from text; returns false (and leaves the name empty) when it is too long or not ASCII. */
    public boolean set(CharSequence text) {
        final int n = text.length();
        if (n > CAPACITY) {
            length = 0;
            return false;
        }
        for (int i = 0; i < n; i++) {
            final char c = text.charAt(i);
            if (c > 127) {
                length = 0;
                return false;
            }
            bytes[i] = (byte) c;
        }
        length = n;
        return true;
    }

    /** Sets from bytes; returns false (and leaves the name empty) when too long. */
    public boolean set(byte[] src, int offset, int len) {
        if (len < 0 || len > CAPACITY) {
            length = 0;
            return false;
        }
        System.arraycopy(src, offset, bytes, 0, len);
        length = len;
        return true;
    }

    /** Sets from {@code len} bytes of a buffer; returns false (and leaves the name empty) when too long. */
    public boolean set(org.agrona.DirectBuffer src, int index, int len) {
        if (len < 0 || len > CAPACITY) {
            length = 0;
            return false;
        }
        // names are short: a few 8-byte reads (one bounds check each) rather than a general copy's setup; the
        // last word may overlap the one before it, and a name under 8 bytes reads a whole word when the buffer
        // has one there (the bytes past the name land in this array's slack and are never part of the content)
        if (len >= 8) {
            for (int i = 0; i < len - 8; i += 8) {
                LONG.set(bytes, i, src.getLong(index + i, java.nio.ByteOrder.LITTLE_ENDIAN));
            }
            LONG.set(bytes, len - 8, src.getLong(index + len - 8, java.nio.ByteOrder.LITTLE_ENDIAN));
        } else if (index + 8 <= src.capacity()) {
            LONG.set(bytes, 0, src.getLong(index, java.nio.ByteOrder.LITTLE_ENDIAN));
        } else {
            for (int i = 0; i < len; i++) {
                bytes[i] = src.getByte(index + i);
            }
        }
        length = len;
        return true;
    }

    public void set(Name other) {
        System.arraycopy(other.bytes, 0, bytes, 0, other.length);
        length = other.length;
    }

    public void clear() {
        length = 0;
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    /** The backing array; valid bytes are {@code [0, length())}. Read only. */
    public byte[] bytes() {
        return bytes;
    }

    /** True when every byte is a legal identifier character. An empty name is legal (and means "absent"). */
    public boolean isLegal() {
        for (int i = 0; i < length; i++) {
            if (!isLegalChar(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    public static boolean isLegalChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
    }

    /** True when equal to {@code other[offset, offset + len)}. */
    public boolean contentEquals(byte[] other, int offset, int len) {
        if (len != length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (bytes[i] != other[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes {@code [8 * word, 8 * word + 8)} of the content as a little-endian long, zero past the end: with
     * {@code word} 0 and 1, the first 16 bytes of the name in two values that compare with {@code ==}.
     */
    public long word(int word) {
        final int valid = length - 8 * word;
        if (valid <= 0) {
            return 0;
        }
        final long w = (long) LONG.get(bytes, 8 * word);
        return valid >= 8 ? w : w & (-1L >>> (64 - 8 * valid));
    }

    /** {@link #word} of a name held as bytes {@code [0, len)} of {@code b}. */
    public static long word(byte[] b, int len, int word) {
        long w = 0;
        final int end = Math.min(len, 8 * word + 8);
        for (int i = end - 1; i >= 8 * word; i--) {
            w = (w << 8) | (b[i] & 0xff);
        }
        return w;
    }

    /** A well-mixed 64-bit hash of the content (FNV-1a then a finaliser); equal content, equal hash. */
    public long hash() {
        return hash(bytes, 0, length);
    }

    /**
     * A faster hash for lookups, eight bytes at a time (it reads the backing array past the content, which holds
     * {@link #CAPACITY} bytes, and masks the excess off). Equal content, equal hash; not the same value as
     * {@link #hash()}, which is stable for the state hash.
     */
    public long lookupHash() {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft((h ^ (long) LONG.get(bytes, i)) * 0xbf58476d1ce4e5b9L, 29);
        }
        if (i < length) {
            final long tail = (long) LONG.get(bytes, i) & (-1L >>> (64 - 8 * (length - i)));
            h = Long.rotateLeft((h ^ tail) * 0xbf58476d1ce4e5b9L, 29);
        }
        return mix(h);
    }

    private static final java.lang.invoke.VarHandle LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
        long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    public static long hash(byte[] b, int offset, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < len; i++) {
            h ^= b[offset + i] & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h ^ len);
    }

    /** SplitMix64 finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A copy of the content as bytes. Allocates: not for hot paths. */
    public byte[] toBytes() {
        final byte[] copy = new byte[length];
        System.arraycopy(bytes, 0, copy, 0, length);
        return copy;
    }

    /** Allocates: not for hot paths. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
