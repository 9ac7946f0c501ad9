package org.perpcore.core.engine;

import java.util.Arrays;
import org.perpcore.core.command.Name;

/**
 * Names (account names, symbols) to dense int ids 0, 1, 2... in order of creation. Open addressing with linear
 * probing over one {@code long[]}: each slot holds 32 bits of the name's hash and the id, so a probe compares the
 * stored name's bytes only when the hash bits agree. Lookups never allocate. Names are never removed.
 */
final class NameIndex {
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
        table = new long[n];
        mask = n - 1;
        names = new byte[Math.max(16, expected)][];
        hashes = new long[names.length];
    }

    int size() {
        return size;
    }

    /** Whether the name of id is {@code name}: a check that may keep the names' first bytes nearer at hand. */
    interface Match {
        boolean test(int id, Name name);
    }

    private final Match bytesMatch = (id, name) -> name.contentEquals(names[id], 0, names[id].length);

    /** The id of this name, or -1. */
    int find(Name name) {
        return find(name, bytesMatch);
    }

    /** The id of this name, or -1, with {@code match} telling the candidates whose hash bits agree. */
    int find(Name name, Match match) {
        final long h = name.lookupHash();
        final long fingerprint = h << 32;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            final long slot = table[i];
            if (slot == 0) {
                return -1;
            }
            if ((slot & 0xFFFF_FFFF_0000_0000L) == fingerprint) {
                final int id = (int) slot - 1;
                if (match.test(id, name)) {
                    return id;
                }
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
        hashes[id] = name.lookupHash();
        insert(id);
        return id;
    }

    byte[] name(int id) {
        return names[id];
    }

    private void insert(int id) {
        for (int i = (int) hashes[id] & mask; ; i = (i + 1) & mask) {
            if (table[i] == 0) {
                table[i] = (hashes[id] << 32) | (id + 1L);
                return;
            }
        }
    }

    private void rehash() {
        table = new long[table.length * 2];
        mask = table.length - 1;
        for (int id = 0; id < size; id++) {
            insert(id);
        }
    }
}
