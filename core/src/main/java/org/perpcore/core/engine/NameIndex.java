package org.perpcore.core.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.perpcore.core.command.Name;

/**
 * Names (account names, symbols) to dense int ids 0, 1, 2... in order of creation. Open addressing with linear
 * probing over one {@code long[]} of four-word slots: 32 bits of the name's hash and the id, the name's length,
 * and its first {@value #INLINE_BYTES} bytes. A lookup of a name of up to {@value #INLINE_BYTES} bytes (the
 * usual account name) therefore reads one slot and nothing else: the name's own array, a dependent load and a
 * cache miss of its own on every command that names an account, is read only for the bytes of longer names.
 * Lookups never allocate. Names are never removed.
 */
final class NameIndex {
    /** Bytes of a name kept in its slot. */
    static final int INLINE_BYTES = 16;
    private static final int WORDS = 4;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long[] table;
    private int mask;
    private byte[][] names;
    private long[] hashes;
    private int size;

    NameIndex(int expected) {
        int n = 16;
        while (n < expected * 2) {
            n <<= 1;
        }
        table = new long[n * WORDS];
        mask = n - 1;
        names = new byte[Math.max(16, expected)][];
        hashes = new long[names.length];
    }

    int size() {
        return size;
    }

    /** The id of this name, or -1. */
    int find(Name name) {
        final long h = name.lookupHash();
        final long fingerprint = h << 32;
        final int length = name.length();
        // the name's array has 8 readable bytes past any content: the words past its length are masked off
        final byte[] b = name.bytes();
        final long w0 = length >= 8 ? (long) LONG.get(b, 0) : length == 0 ? 0 : (long) LONG.get(b, 0) & tailMask(length);
        final long w1 = length >= 16 ? (long) LONG.get(b, 8) : length <= 8 ? 0 : (long) LONG.get(b, 8) & tailMask(length - 8);
        final long[] t = table;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            final int s = i * WORDS;
            final long slot = t[s];
            if (slot == 0) {
                return -1;
            }
            if ((slot & 0xFFFF_FFFF_0000_0000L) == fingerprint && t[s + 1] == length && t[s + 2] == w0
                && t[s + 3] == w1) {
                final int id = (int) slot - 1;
                if (length <= INLINE_BYTES || restEquals(name, names[id])) {
                    return id;
                }
            }
        }
    }

    private static long tailMask(int bytes) {
        return -1L >>> (64 - 8 * bytes);
    }

    private static boolean restEquals(Name name, byte[] stored) {
        final byte[] b = name.bytes();
        for (int i = INLINE_BYTES; i < stored.length; i++) {
            if (b[i] != stored[i]) {
                return false;
            }
        }
        return true;
    }

    /** Adds a name known to be absent; returns its id (the next dense id). */
    int add(Name name) {
        if ((size + 1) * 2 > table.length / WORDS) {
            rehash();
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        final int id = size++;
        names[id] = name.toBytes();
        hashes[id] = name.lookupHash();
        insert(id);
        return id;
    }

    byte[] name(int id) {
        return names[id];
    }

    private void insert(int id) {
        final byte[] name = names[id];
        for (int i = (int) hashes[id] & mask; ; i = (i + 1) & mask) {
            final int s = i * WORDS;
            if (table[s] == 0) {
                table[s] = (hashes[id] << 32) | (id + 1L);
                table[s + 1] = name.length;
                table[s + 2] = word(name, 0);
                table[s + 3] = word(name, 8);
                return;
            }
        }
    }

    /** Bytes {@code [from, from + 8)} of the name as a little-endian word, zeros past its end. */
    private static long word(byte[] name, int from) {
        long w = 0;
        for (int k = Math.min(name.length, from + 8) - 1; k >= from; k--) {
            w = (w << 8) | (name[k] & 0xFF);
        }
        return w;
    }

    private void rehash() {
        table = new long[table.length * 2];
        mask = table.length / WORDS - 1;
        for (int id = 0; id < size; id++) {
            insert(id);
        }
    }
}
