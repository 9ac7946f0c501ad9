package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Name;

/** The name index agrees with a HashMap for names of every length, near misses included, through growth. */
class NameIndexTest {
    @Test
    void findsEveryNameAddedAndNothingElse() {
        final NameIndex index = new NameIndex(4); // grows many times
        final Map<String, Integer> expected = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(11);
        final Name name = new Name();
        for (int step = 0; step < 40_000; step++) {
            final String text = randomName(random);
            name.set(text);
            final Integer id = expected.get(text);
            assertEquals(id == null ? -1 : id, index.find(name), text);
            if (id == null && random.nextInt(3) > 0) {
                final int added = index.add(name);
                assertEquals(expected.size(), added);
                expected.put(text, added);
                assertArrayEquals(text.getBytes(StandardCharsets.ISO_8859_1), index.name(added));
            }
        }
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            name.set(e.getKey());
            assertEquals(e.getValue(), index.find(name), e.getKey());
            // the same name with one byte changed, one byte more or one byte less is another name
            final String k = e.getKey();
            for (String other : new String[] {k + "x", k.isEmpty() ? "y" : k.substring(1), flipLast(k)}) {
                if (!name.set(other)) {
                    continue; // beyond a name's capacity
                }
                assertEquals(expected.getOrDefault(other, -1), index.find(name), other);
            }
        }
    }

    @Test
    void accountsMatchTheirNamesByTheirFirstWords() {
        final SplittableRandom random = new SplittableRandom(12);
        final Name name = new Name();
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[80]);
        for (int step = 0; step < 40_000; step++) {
            final String text = randomName(random);
            final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            final Account account = new Account(0, bytes);
            for (String other : new String[] {text + "x", text.isEmpty() ? "y" : text.substring(1), flipLast(text)}) {
                if (name.set(other)) {
                    assertEquals(other.equals(text), account.hasName(name), other);
                }
            }
            // set over a longer name (stale bytes past the end), from text and from a buffer with bytes after it
            name.set(text + "xyz");
            name.set(text);
            assertEquals(true, account.hasName(name), text);
            buffer.setMemory(0, buffer.capacity(), (byte) 'z');
            buffer.putBytes(3, bytes);
            name.set(text + "xyz");
            name.set(buffer, 3, bytes.length);
            assertEquals(text, name.toString());
            for (int w = 0; w < 2; w++) {
                assertEquals(Name.word(bytes, bytes.length, w), name.word(w), text);
            }
            assertEquals(true, account.hasName(name), text);
            // a name that ends where its buffer ends (no word to read past it)
            name.set(text + "xyz");
            name.set(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
            assertEquals(text, name.toString());
            assertEquals(true, account.hasName(name), text);
        }
    }

    private static String flipLast(String s) {
        return s.isEmpty() ? "\u0001" : s.substring(0, s.length() - 1) + (char) ((s.charAt(s.length() - 1) ^ 1) & 0x7F);
    }

    private static String randomName(SplittableRandom random) {
        final int length = random.nextInt(8) == 0 ? random.nextInt(Name.CAPACITY + 1) : 1 + random.nextInt(20);
        final StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            // a small alphabet, so that names share prefixes and collide in their inline words
            b.append(random.nextInt(10) == 0 ? (char) random.nextInt(128) : (char) ('a' + random.nextInt(3)));
        }
        return b.toString();
    }
}
