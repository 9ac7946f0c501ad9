package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;

class CommandJournalTest {
    @TempDir
    Path dir;

    @Test
    void commandsReadBackAsWritten() {
        try (CommandJournal journal = new CommandJournal(dir)) {
            journal.onStart();
            final Command c = new Command();
            for (int i = 1; i <= 1000; i++) {
                c.clear();
                c.seq = i;
                c.timestampMs = 1_760_000_000_000L + i;
                c.type = CommandType.PLACE_ORDER;
                c.account.set("acct" + (i % 7));
                c.symbol.set("BTCUSDT");
                c.side = i % 2 == 0 ? Side.BUY : Side.SELL;
                c.orderType = OrderType.LIMIT;
                c.priceE8 = 12_000_000_000_000L + i * 10_000_000L;
                c.qtyE8 = 100_000L * i;
                journal.onCommand(c, i % 10 == 0);
            }
            assertEquals(1000, journal.appended());
        }
        try (JournalReader reader = new JournalReader(dir)) {
            final Command c = new Command();
            for (int i = 1; i <= 1000; i++) {
                assertTrue(reader.next(c), "command " + i);
                assertEquals(i, c.seq);
                assertEquals(CommandType.PLACE_ORDER, c.type);
                assertEquals("acct" + (i % 7), c.account.toString());
                assertEquals(100_000L * i, c.qtyE8);
            }
            assertFalse(reader.next(c));
        }
    }
}
