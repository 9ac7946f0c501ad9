package org.perpcore.gateway.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The API keys of a journaled gateway, on disk beside the journal ({@code DIR/api-keys.json}), so that a restarted
 * server accepts the keys its clients hold. The engine never sees keys (they are the gateway's, not the exchange's
 * state), so they are not journal commands: the file is rewritten whole after every change.
 *
 * <pre>{@code
 * {"version":1,"keys":[{"apiKey":"...","secret":"...","account":"alice",
 *                       "weightPerMinute":2400,"ordersPer10s":300,"ordersPerMinute":1200}, ...]}
 * }</pre>
 * Keys sorted by key. Written to {@code api-keys.json.tmp} (owner read/write only: it holds the secrets), synced,
 * renamed into place and the directory synced, so the file is always one complete version. Listen keys are not kept:
 * they belong to a connection's session, and a client asks for a new one (Binance's keepalive answers -1125).
 */
final class ApiKeyFile {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    ApiKeyFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /**
     * The keys the file holds (none when it does not exist yet).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    List<ApiKey> load() throws IOException {
        final List<ApiKey> keys = new ArrayList<>();
        if (!Files.exists(file)) {
            return keys;
        }
        final JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a key file (" + e.getMessage() + ")", e);
        }
        if (root == null || root.path("version").asInt() != VERSION || !root.path("keys").isArray()) {
            throw new IOException(file + ": not a version " + VERSION + " key file");
        }
        for (JsonNode k : root.get("keys")) {
            final String key = k.path("apiKey").asText("");
            final String secret = k.path("secret").asText("");
            final String account = k.path("account").asText("");
            if (key.isEmpty() || secret.isEmpty() || account.isEmpty()) {
                throw new IOException(file + ": a key without apiKey, secret or account");
            }
            final ApiKey.RateLimits limits;
            try {
                limits = new ApiKey.RateLimits(k.path("weightPerMinute").asInt(), k.path("ordersPer10s").asInt(),
                    k.path("ordersPerMinute").asInt());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": key " + key + ": " + e.getMessage(), e);
            }
            keys.add(new ApiKey(key, secret, account, limits));
        }
        return keys;
    }

    /** Replaces the file with these keys: the new version is complete on disk when this returns. */
    void save(List<ApiKey> keys) throws IOException {
        final List<ApiKey> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(ApiKey::key));
        final ObjectNode root = JSON.createObjectNode().put("version", VERSION);
        final ArrayNode array = root.putArray("keys");
        for (ApiKey k : sorted) {
            array.addObject().put("apiKey", k.key()).put("secret", k.secret()).put("account", k.account())
                .put("weightPerMinute", k.limits().weightPerMinute()).put("ordersPer10s", k.limits().ordersPer10s())
                .put("ordersPerMinute", k.limits().ordersPerMinute());
        }
        final byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // not every file system syncs a directory; the rename itself is atomic
        }
    }
}
