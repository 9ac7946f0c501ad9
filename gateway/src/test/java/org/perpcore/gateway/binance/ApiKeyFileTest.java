package org.perpcore.gateway.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys kept in a file: every change on disk before it returns, readable only by the owner, damage refused. */
class ApiKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void keysSurviveAReopenWithSecretsAndLimits() throws IOException {
        final Path file = dir.resolve(ApiKeys.FILE);
        final ApiKeys keys = ApiKeys.persistent(file);
        assertTrue(keys.add(new ApiKey("k1", "s1", "alice", new ApiKey.RateLimits(10, 20, 30))));
        assertTrue(keys.add(new ApiKey("k2", "s2", "bob", ApiKey.RateLimits.BINANCE)));
        assertFalse(keys.add(new ApiKey("k1", "other", "carol", ApiKey.RateLimits.BINANCE)));
        assertTrue(keys.remove("k2"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        final ApiKeys reopened = ApiKeys.persistent(file);
        assertEquals(1, reopened.all().size());
        final ApiKey k = reopened.get("k1");
        assertEquals("alice", k.account());
        assertEquals("s1", k.secret());
        assertEquals(new ApiKey.RateLimits(10, 20, 30), k.limits());
        assertEquals(k.sign("a=1"), new ApiKey("x", "s1", "x", ApiKey.RateLimits.BINANCE).sign("a=1"));
        assertFalse(Files.exists(dir.resolve(ApiKeys.FILE + ".tmp")));
    }

    @Test
    void aDamagedFileIsRefusedAndAFailedWriteAddsNothing() throws IOException {
        final Path file = dir.resolve(ApiKeys.FILE);
        Files.writeString(file, "{\"version\":1,\"keys\":[{\"apiKey\":\"k\"");
        assertTrue(assertThrows(IOException.class, () -> ApiKeys.persistent(file)).getMessage()
            .contains("not a key file"));
        Files.writeString(file, "{\"version\":2,\"keys\":[]}");
        assertThrows(IOException.class, () -> ApiKeys.persistent(file));
        Files.writeString(file, "{\"version\":1,\"keys\":[{\"apiKey\":\"k\",\"secret\":\"s\",\"account\":\"a\","
            + "\"weightPerMinute\":0,\"ordersPer10s\":1,\"ordersPerMinute\":1}]}");
        assertTrue(assertThrows(IOException.class, () -> ApiKeys.persistent(file)).getMessage()
            .contains("rate limits"));

        // a key file in a directory that is gone: the add fails and the key is not there
        final Path gone = dir.resolve("gone");
        Files.createDirectories(gone);
        final ApiKeys keys = ApiKeys.persistent(gone.resolve(ApiKeys.FILE));
        Files.delete(gone);
        assertThrows(UncheckedIOException.class,
            () -> keys.add(new ApiKey("k", "s", "a", ApiKey.RateLimits.BINANCE)));
        assertEquals(null, keys.get("k"));
    }
}
