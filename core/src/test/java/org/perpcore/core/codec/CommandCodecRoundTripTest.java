package org.perpcore.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.reference.RandomCommands;

/**
 * Everything the engine can be given survives the journal encoding, bad input included (commands without a type,
 * names with illegal characters, absent fields): the decoded command encodes to the same bytes and makes the engine
 * produce the same events.
 */
class CommandCodecRoundTripTest {
    @Test
    void everyGeneratedCommandRoundTripsWithTheSameEffect() {
        final RandomCommands commands = new RandomCommands(4242, 3, 60);
        final Engine direct = new Engine();
        final Engine decoded = new Engine();
        final Command c = new Command();
        final Command d = new Command();
        final ExpandableArrayBuffer a = new ExpandableArrayBuffer(CommandCodec.MAX_LENGTH);
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(CommandCodec.MAX_LENGTH);
        int untyped = 0;
        for (int i = 0; i < 30_000; i++) {
            commands.next(c);
            untyped += c.type == null ? 1 : 0;
            final int length = CommandCodec.encode(c, a, 0);
            assertEquals(length, CommandCodec.decode(a, 0, length, d), "command " + i);
            assertEquals(length, CommandCodec.encode(d, b, 0));
            final byte[] first = new byte[length];
            final byte[] second = new byte[length];
            a.getBytes(0, first);
            b.getBytes(0, second);
            assertArrayEquals(first, second, "command " + i + " encodes the same after a round trip");
            direct.apply(c);
            decoded.apply(d);
            final byte[] e1 = new byte[c.events().length()];
            final byte[] e2 = new byte[d.events().length()];
            c.events().buffer().getBytes(0, e1);
            d.events().buffer().getBytes(0, e2);
            assertArrayEquals(e1, e2, "command " + i + " has the same effect");
            commands.observe(c.events());
        }
        assertEquals(direct.stateHash(), decoded.stateHash());
        org.junit.jupiter.api.Assertions.assertTrue(untyped > 0, "the stream has commands without a type");
        final Command snapshot = new Command();
        snapshot.type = CommandType.SNAPSHOT;
        snapshot.seq = 7;
        final int length = CommandCodec.encode(snapshot, a, 0);
        assertEquals(length, CommandCodec.decode(a, 0, length, d));
        assertEquals(CommandType.SNAPSHOT, d.type);
    }
}
