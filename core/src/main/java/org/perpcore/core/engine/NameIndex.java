package org.perpcore.core.engine;

import java.util.Arrays;
import org.perpcore.core.command.Name;

/**
 * Names (account names, symbols) to dense int ids 0, 1, 2... in order of creation. Open addressing over an int
 * table with linear probing; lookups compare bytes in place and never allocate. Names are never removed.
 */
final class NameIndex {
    private static final int EMPTY = -1;

    private int[] table;
    private int mask;
    private byte[][] names;
    private long[] hashes;
    private int size;

    NameIndex(int expected) {
        int n = 16;
        while (n < expected * 2) {
            n <<= 1;
        }
        table = new int[n];
        Arrays.fill(table, EMPTY);
        mask = n - 1;
        names = new byte[Math.max(16, expected)][];
        hashes = new long[names.length];
    }

    int size() {
        return size;
    }

    /** The id of this name, or -1. */
    int find(Name name) {
        final long h = name.hash();
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            final int id = table[i];
            if (id == EMPTY) {
                return -1;
            }
            if (hashes[id] == h && name.contentEquals(names[id], 0, names[id].length)) {
                return id;
            }
        }
    }

    /** Adds a name known to be absent; returns its id (the next dense id). */
    int add(Name name) {
        if ((size + 1) * 2 > table.length) {
            rehash();
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        final int id = size++;
        names[id] = name.toBytes();
        hashes[id] = name.hash();
        insert(id);
        return id;
    }

    byte[] name(int id) {
        return names[id];
    }

    private void insert(int id) {
        for (int i = (int) hashes[id] & mask; ; i = (i + 1) & mask) {
            if (table[i] == EMPTY) {
                table[i] = id;
                return;
            }
        }
    }

    private void rehash() {
        table = new int[table.length * 2];
        Arrays.fill(table, EMPTY);
        mask = table.length - 1;
        for (int id = 0; id < size; id++) {
            insert(id);
        }
    }
}
