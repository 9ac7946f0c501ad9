package org.perpcore.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.scenario.EventJson;
import org.perpcore.core.scenario.ScenarioParser;

/** Commands survive encode/decode unchanged; events decode to what was written; bad bytes are refused, not thrown. */
class CodecTest {
    private static final String[] SCRIPT = {
        "time 2025-10-10T20:00:00Z",
        "market BTCUSDT tick=0.1 step=0.001 minQty=0.002 makerFee=-0.0001 takerFee=0.0004 stp=EXPIRE_BOTH fundingInterval=4h maxLeverage=50",
        "deposit alice 1000.5", "deposit bob 99999", "withdraw bob 0.00000001",
        "order bob BTCUSDT sell limit 1 100 id=x:y/z-1_2.3 stp=NONE",
        "order alice BTCUSDT buy limit 0.5 100.1 tif=IOC reduceOnly",
        "order alice BTCUSDT buy market 0.2",
        "amend bob BTCUSDT x:y/z-1_2.3 qty=0.2 price=101",
        "order alice BTCUSDT sell stop_market 0.1 stopPrice=90 workingType=MARK_PRICE reduceOnly id=s1",
        "order alice BTCUSDT sell take_profit_market stopPrice=120 closePosition priceProtect",
        "order alice BTCUSDT buy trailing_stop_market 0.1 callbackRate=1.25 activationPrice=95 workingType=CONTRACT_PRICE",
        "order alice BTCUSDT buy stop 0.1 111 stopPrice=110 tif=IOC",
        "cancel bob BTCUSDT orderId=1", "cancel-all bob BTCUSDT", "advance 8h", "query account alice",
    };

    @Test
    void everyScenarioCommandRoundTrips() throws Exception {
        final ScenarioParser parser = new ScenarioParser();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(CommandCodec.MAX_LENGTH);
        final Command original = new Command();
        final Command decoded = new Command();
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer(CommandCodec.MAX_LENGTH);
        int n = 0;
        for (int i = 0; i < SCRIPT.length; i++) {
            if (!parser.parse(SCRIPT[i], i + 1, original)) {
                continue;
            }
            original.seq = 1000 + i;
            final int length = CommandCodec.encode(original, buffer, 0);
            assertTrue(length <= CommandCodec.MAX_LENGTH);
            assertEquals(length, CommandCodec.decode(buffer, 0, length, decoded), SCRIPT[i]);
            // re-encoding the decoded command gives the same bytes: nothing was lost or changed
            assertEquals(length, CommandCodec.encode(decoded, again, 0));
            for (int b = 0; b < length; b++) {
                assertEquals(buffer.getByte(b), again.getByte(b), SCRIPT[i] + " byte " + b);
            }
            assertEquals(original.seq, decoded.seq);
            assertEquals(original.timestampMs, decoded.timestampMs);
            n++;
        }
        assertEquals(SCRIPT.length - 1, n);
    }

    @Test
    void truncatedGarbageAndUnknownVersionsAreRefused() throws Exception {
        final ScenarioParser parser = new ScenarioParser();
        final Command c = new Command();
        parser.parse("order bob BTCUSDT sell limit 1 100 id=abc", 1, c);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = CommandCodec.encode(c, buffer, 0);
        for (int cut = 0; cut < length; cut++) {
            assertTrue(CommandCodec.decode(buffer, 0, cut, new Command()) < 0, "cut at " + cut);
        }
        buffer.putByte(0, (byte) 99);
        assertEquals(CommandCodec.DecodeError.UNKNOWN_VERSION, CommandCodec.decode(buffer, 0, length, new Command()));
        buffer.putByte(0, CommandCodec.VERSION);
        buffer.putByte(1, (byte) 60);
        assertEquals(CommandCodec.DecodeError.UNKNOWN_TYPE, CommandCodec.decode(buffer, 0, length, new Command()));
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            final int len = random.nextInt(0, 200);
            for (int b = 0; b < len; b++) {
                buffer.putByte(b, (byte) random.nextInt());
            }
            CommandCodec.decode(buffer, 0, len, new Command()); // must not throw
        }
    }

    @Test
    void conditionalFieldsRoundTripAndTheirBlockIsChecked() throws Exception {
        final ScenarioParser parser = new ScenarioParser();
        final Command c = new Command();
        parser.parse("order bob BTCUSDT sell trailing_stop_market 1 callbackRate=0.5 activationPrice=101"
            + " workingType=MARK_PRICE id=t", 1, c);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = CommandCodec.encode(c, buffer, 0);
        final Command d = new Command();
        assertEquals(length, CommandCodec.decode(buffer, 0, length, d));
        assertEquals(50_000_000L, d.callbackRateE8);
        assertEquals(101 * 100_000_000L, d.activationPriceE8);
        assertEquals(Command.ABSENT, d.stopPriceE8);
        assertEquals(org.perpcore.core.model.WorkingType.MARK_PRICE, d.workingType);
        for (int cut = 0; cut < length; cut++) {
            assertTrue(CommandCodec.decode(buffer, 0, cut, new Command()) < 0, "cut at " + cut);
        }
        // the working type is the block's second-to-last byte: an unknown code is malformed, not a default
        buffer.putByte(length - 2, (byte) 9);
        assertEquals(CommandCodec.DecodeError.MALFORMED, CommandCodec.decode(buffer, 0, length, new Command()));
        // an order without conditional fields has no block: the entry is exactly as long as before
        parser.parse("order bob BTCUSDT sell limit 1 100", 2, c);
        final int plain = CommandCodec.encode(c, buffer, 0);
        parser.parse("order bob BTCUSDT sell stop_market 1 stopPrice=100", 3, c);
        assertEquals(plain + 26, CommandCodec.encode(c, buffer, 0), "the block is 26 bytes");
    }

    @Test
    void eventsRenderFromTheirBytes() throws Exception {
        final ScenarioParser parser = new ScenarioParser();
        final Engine engine = new Engine();
        final Command c = new Command();
        final EventJson json = new EventJson();
        final StringBuilder out = new StringBuilder();
        final List<String> types = new ArrayList<>();
        for (int i = 0; i < SCRIPT.length; i++) {
            if (parser.parse(SCRIPT[i], i + 1, c)) {
                c.seq = i;
                engine.apply(c);
                out.setLength(0);
                json.render(c.seq, c.timestampMs, c.events(), out);
                out.toString().lines().forEach(l -> types.add(l.replaceAll(".*\"type\":\"([A-Z_]+)\".*", "$1")));
            }
        }
        assertTrue(types.containsAll(List.of("MARKET", "ACCOUNT_CREATED", "ACCOUNT", "ORDER", "TRADE")), types.toString());
        assertTrue(!types.contains("UNKNOWN"), types.toString());
    }
}
