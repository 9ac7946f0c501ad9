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

/** {@code perpcore serve} refuses a bad configuration with a clear message and exit status 2, serving nothing. */
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
}
