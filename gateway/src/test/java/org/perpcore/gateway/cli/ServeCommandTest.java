package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perpcore serve} refuses a bad configuration with a clear message and exit status 2, serving nothing; with a
 * journal, a configuration is applied once, when the journal is new, and its keys are kept.
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    private String refused(String json, String... extra) throws Exception {
        final Path f = dir.resolve("c.json");
        Files.writeString(f, json);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] argv = new String[4 + extra.length];
        argv[0] = "serve";
        argv[1] = "--config";
        argv[2] = f.toString();
        argv[3] = "--port=0";
        System.arraycopy(extra, 0, argv, 4, extra.length);
        final int status = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badConfigurations() throws Exception {
        assertTrue(refused("{\"mar").contains("not valid JSON"));
        assertTrue(refused("{\"markets\":{}}").contains("'markets' must be an array"));
        assertTrue(refused("{\"nonsense\":1}").contains("unknown key 'nonsense'"));
        assertTrue(refused("{\"markets\":[{\"symbol\":\"BTCUSDT\",\"tick\":\"abc\",\"step\":\"0.001\"}]}",
            "--admin-port=0").contains("not a plain decimal"));
        final String engine = refused("{\"markets\":[{\"symbol\":\"BTCUSDT\",\"tick\":\"0.1\",\"step\":\"0.001\","
            + "\"brackets\":[{\"floor\":\"100\",\"mmr\":\"0.004\",\"maxLeverage\":125}]}]}", "--admin-port=0");
        assertTrue(engine.contains("refused by the engine") && engine.contains("-9005"), engine);
        assertTrue(refused("{\"accounts\":[{\"account\":\"a b\"}]}").contains("Illegal characters"));
        assertTrue(refused("{}", "--port=99999").contains("--port must be a port number"));
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aConfigurationIsAppliedToANewJournalOnly() throws Exception {
        final Path journal = dir.resolve("journal");
        final String json = "{\"markets\":[{\"symbol\":\"BTCUSDT\",\"tick\":\"0.1\",\"step\":\"0.001\","
            + "\"index\":\"100000\"}],\"accounts\":[{\"account\":\"alice\",\"deposit\":\"1000\","
            + "\"apiKey\":\"aliceKey1\",\"secret\":\"aliceSecret1\"},"
            + "{\"account\":\"bob\",\"deposit\":\"7\",\"secret\":\"bobSecret1\"}]}";
        Files.writeString(dir.resolve("c.json"), json);
        final org.perpcore.gateway.GatewayConfig base = org.perpcore.gateway.GatewayConfig.defaults()
            .withPorts(0, -1).withClock(() -> 1_760_126_400_000L, 0).withJournal(journal);
        final org.perpcore.gateway.config.ConfigFile file = org.perpcore.gateway.config.ConfigFile.load(
            dir.resolve("c.json"), base);
        final long[] hashes = new long[2];
        for (int run = 0; run < 2; run++) {
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (org.perpcore.gateway.Gateway g = org.perpcore.gateway.Gateway.start(base)) {
                assertEquals(0, ServeCommand.configure(g, file, "c.json", new PrintStream(err, true,
                    StandardCharsets.UTF_8)), text(err));
                if (run == 1) {
                    assertTrue(text(err).contains("are not applied again"), text(err));
                }
                // bob's random key is made once and kept; alice's given key is there
                assertEquals(2, g.keys().all().size(), g.keys().all().toString());
                assertEquals("alice", g.keys().get("aliceKey1").account());
                g.awaitQuiet(10_000);
                hashes[run] = g.journal().engine().stateHash();
                assertEquals(run == 1, g.journal().nextSeq() > 1, "restored on the second start");
            }
        }
        // the second start ran none of the configuration's commands: the same state (deposited once)
        assertEquals(hashes[0], hashes[1]);
        // a key in the key file that the configuration gives to another account is refused
        Files.writeString(dir.resolve("c.json"), json.replace("\"account\":\"alice\"", "\"account\":\"carol\""));
        final org.perpcore.gateway.config.ConfigFile other = org.perpcore.gateway.config.ConfigFile.load(
            dir.resolve("c.json"), base);
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (org.perpcore.gateway.Gateway g = org.perpcore.gateway.Gateway.start(base)) {
            assertEquals(2, ServeCommand.configure(g, other, "c.json", new PrintStream(err, true,
                StandardCharsets.UTF_8)));
        }
        assertTrue(text(err).contains("the API key aliceKey1 is in api-keys.json for another account"), text(err));
    }
}
