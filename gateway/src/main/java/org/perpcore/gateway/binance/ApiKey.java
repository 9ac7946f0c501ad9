package org.perpcore.gateway.binance;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * One API key: its secret, the one account it may act on, and its rate limits (Binance's fixed windows: order
 * count per 10 seconds and per minute, request weight per minute). Thread safe: several connections may use one
 * key at once.
 */
public final class ApiKey {
    private final String key;
    private final String account;
    private final byte[] secret;
    private final RateLimits limits;
    private final ThreadLocal<Mac> macs;
    /** Per thread: the signature given and the one computed, for {@link #verify}. */
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[32],
        new byte[32]});

    private long windowSecond10 = -1;
    private int orders10s;
    private long windowMinute = -1;
    private int ordersMinute;
    private int weightMinute;

    public ApiKey(String key, String secret, String account, RateLimits limits) {
        this.key = key;
        this.account = account;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.limits = limits;
        final SecretKeySpec spec = new SecretKeySpec(this.secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                final Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    public String key() {
        return key;
    }

    public String account() {
        return account;
    }

    /** The secret (the admin API shows it once, when it creates the key). */
    public String secret() {
        return new String(secret, StandardCharsets.UTF_8);
    }

    public RateLimits limits() {
        return limits;
    }

    /** The hex HMAC-SHA256 of {@code payload} with this key's secret. */
    public String sign(String payload) {
        return hex(macs.get().doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * True when {@code signatureHex} is this key's HMAC-SHA256 of the request's signed payload
     * ({@link Params#signedPayload}), compared in constant time. Allocates nothing.
     */
    public boolean verify(Params request, CharSequence signatureHex) {
        if (signatureHex.length() != 64) {
            return false;
        }
        final byte[][] scratch = SCRATCH.get();
        final byte[] given = scratch[0];
        for (int i = 0; i < 32; i++) {
            final int hi = Character.digit(signatureHex.charAt(2 * i), 16);
            final int lo = Character.digit(signatureHex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return false;
            }
            given[i] = (byte) ((hi << 4) | lo);
        }
        final Mac mac = macs.get();
        request.signedPayload(mac);
        try {
            mac.doFinal(scratch[1], 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HmacSHA256 wrote more than 32 bytes", e);
        }
        return MessageDigest.isEqual(scratch[1], given);
    }

    /**
     * Counts one request of {@code weight} (and one order when {@code order}) at {@code nowMs}; returns null when
     * within the limits, else the Binance message of the limit it would exceed (the request is then not counted).
     */
    public synchronized String admit(long nowMs, int weight, boolean order) {
        final long w10 = nowMs / 10_000;
        final long wMin = nowMs / 60_000;
        if (w10 != windowSecond10) {
            windowSecond10 = w10;
            orders10s = 0;
        }
        if (wMin != windowMinute) {
            windowMinute = wMin;
            ordersMinute = 0;
            weightMinute = 0;
        }
        if (weightMinute + weight > limits.weightPerMinute()) {
            return "Too much request weight used; current limit is " + limits.weightPerMinute()
                + " request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.";
        }
        if (order && orders10s + 1 > limits.ordersPer10s()) {
            return "Too many new orders; current limit is " + limits.ordersPer10s() + " orders per 10 SECOND.";
        }
        if (order && ordersMinute + 1 > limits.ordersPerMinute()) {
            return "Too many new orders; current limit is " + limits.ordersPerMinute() + " orders per 1 MINUTE.";
        }
        weightMinute += weight;
        if (order) {
            orders10s++;
            ordersMinute++;
        }
        return null;
    }

    /** Request weight used in the current minute (for the X-MBX-USED-WEIGHT-1M header). */
    public synchronized int usedWeight() {
        return weightMinute;
    }

    static String hex(byte[] bytes) {
        final char[] out = new char[bytes.length * 2];
        final char[] digits = "0123456789abcdef".toCharArray();
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = digits[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Rate limits of a key. Binance's defaults for USDⓈ-M futures: 2,400 request weight per minute, 300 orders per
     * 10 seconds, 1,200 orders per minute.
     */
    public record RateLimits(int weightPerMinute, int ordersPer10s, int ordersPerMinute) {
        public static final RateLimits BINANCE = new RateLimits(2400, 300, 1200);

        public RateLimits {
            if (weightPerMinute < 1 || ordersPer10s < 1 || ordersPerMinute < 1) {
                throw new IllegalArgumentException("rate limits must be at least 1");
            }
        }
    }
}
