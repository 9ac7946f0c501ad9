package org.perpcore.gateway.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The reused parameter table: Binance's parameter rules, read from raw bytes, and the signed payload. */
class ParamsTest {
    private static final ApiKey KEY = new ApiKey("k", "secret", "a", ApiKey.RateLimits.BINANCE);

    private static Params parse(String uri, String body) {
        final ByteBuf b = body == null ? null : Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        try {
            final int q = uri.indexOf('?');
            return Params.forThisThread().parse(uri, q < 0 ? uri.length() : q + 1, b);
        } finally {
            if (b != null) {
                b.release();
            }
        }
    }

    private static int code(Runnable r) {
        return assertThrows(ApiError.class, r::run).code();
    }

    @Test
    void readsQueryAndBodyTogetherWithBinanceErrors() {
        final Params p = parse("/x?symbol=BTCUSDT&quantity=0.0010", "side=BUY&price=1%2E5&reduceOnly=TRUE&empty=");
        assertEquals("BTCUSDT", p.symbol(true));
        assertEquals(100_000, p.decimalE8("quantity", true));
        assertEquals(150_000_000, p.decimalE8("price", true));
        assertEquals(1, p.requireChoice("side", new String[] {"SELL", "BUY"}));
        assertTrue(p.bool("reduceOnly", false));
        assertFalse(p.has("empty"));
        assertEquals(Params.ABSENT, p.choice("empty", new String[] {""}));
        assertEquals(-1102, code(() -> p.require("empty")));
        assertEquals(-1100, code(() -> parse("/x?quantity=1e3", null).decimalE8("quantity", true)));
        assertEquals(-1111, code(() -> parse("/x?quantity=0.000000001", null).decimalE8("quantity", true)));
        assertEquals(-1101, code(() -> parse("/x?a=1", "a=2")));
        assertEquals(-1101, code(() -> parse("/x?a=1&%61=2", null))); // the same key once decoded
        assertEquals(-1100, code(() -> parse("/x?a=%0A", null)));
        assertEquals(-1100, code(() -> parse("/x?a=%4", null)));
        assertEquals(-1102, code(() -> parse("/x?=1", null)));
    }

    @Test
    void aValueWithBytesAboveAsciiReadsAsItsUtf8String() {
        final Params p = parse("/x?id=%C3%A9t%C3%A9&flag=fal%C5%BFe", null);
        assertEquals("été", p.get("id"));
        assertEquals(Params.OTHER, p.choice("id", new String[] {"ete"}));
        // String.equalsIgnoreCase folds the long s to 's', as the string-keyed table did
        assertFalse(p.bool("flag", true));
    }

    @Test
    void theSymbolStringIsReusedWhileRequestsNameTheSameOne() {
        final String first = parse("/x?symbol=ETHUSDT", null).symbol(true);
        assertSame(first, parse("/x?symbol=ETHUSDT&b=1", null).symbol(true));
        assertEquals("BTCUSDT", parse("/x?symbol=BTCUSDT", null).symbol(true));
        assertEquals(-1100, code(() -> parse("/x?symbol=btc", null).symbol(true)));
        assertNull(parse("/x", null).symbol(false));
    }

    @Test
    void theSignedPayloadIsQueryThenBodyWithoutTheSignatureParameter() {
        final String sig = "signature=" + "0".repeat(64);
        assertSigned("a=1&b=2", "/x?a=1&" + sig + "&b=2", null);
        assertSigned("b=2", "/x?" + sig + "&b=2", null);
        assertSigned("a=1", "/x?a=1&" + sig, null);
        assertSigned("", "/x?" + sig, null);
        assertSigned("q=1a=1&b=2", "/x?q=1", "a=1&" + sig + "&b=2");
        assertSigned("q=1", "/x?q=1", sig);
        // a parameter whose name only ends in "signature" stays in
        assertSigned("xsignature=1&b=2", "/x?xsignature=1&" + sig + "&b=2", null);
    }

    private static void assertSigned(String payload, String uri, String body) {
        final Params p = parse(uri, body);
        assertTrue(KEY.verify(p, KEY.sign(payload)), uri + " | " + body);
        assertFalse(KEY.verify(p, KEY.sign(payload + "x")), uri + " | " + body);
        assertFalse(KEY.verify(p, "zz" + KEY.sign(payload).substring(2)));
    }
}
