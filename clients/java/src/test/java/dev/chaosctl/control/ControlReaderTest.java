package dev.chaosctl.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The bad-input list, following changes for real, and the decision rules beyond the vectors. */
class ControlReaderTest {
    @TempDir Path root;

    private Path file() { return root.resolve("control.json"); }

    private void writeText(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(".control.json.tmp.test");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void writeFlags(Path file, int generation, String flags) throws IOException {
        writeText(file, "{\"version\": 1, \"generation\": " + generation + ", \"flags\": " + flags + "}");
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(2);
        }
        fail(what + ": not within 5 s");
    }

    private interface Bad { void make(Path file) throws IOException; }

    private Map<String, Bad> badInputs() {
        Map<String, Bad> bad = new LinkedHashMap<>();
        bad.put("corrupt", f -> writeText(f, "\u0000{{{ not json"));
        bad.put("empty", f -> writeText(f, ""));
        bad.put("truncated", f -> writeText(f, "{\"version\": 1, \"generation\": 2, \"flags\": {\"slow\": {\"enab"));
        bad.put("oversized", f -> writeText(f, "{\"version\": 1, \"generation\": 2, \"flags\": {}}" + " ".repeat(2 << 20)));
        bad.put("deeply nested", f -> writeText(f, "{\"version\": 1, \"generation\": 2, \"flags\": {}, \"x\": "
            + "[".repeat(50000) + "]".repeat(50000) + "}"));
        bad.put("future version", f -> writeText(f, "{\"version\": 2, \"generation\": 2, \"flags\": {}}"));
        bad.put("invalid flag", f -> writeFlags(f, 2, "{\"slow\": {\"enabled\": true, \"percent\": 101}}"));
        bad.put("directory", f -> { Files.delete(f); Files.createDirectory(f); });
        bad.put("symlink loop", f -> { Files.delete(f); Files.createSymbolicLink(f, Path.of("control.json")); });
        return bad;
    }

    @Test
    void badInputKeepsTheLastGoodStateAndReportsIt() throws IOException {
        for (Map.Entry<String, Bad> bad : badInputs().entrySet()) {
            Path file = root.resolve(bad.getKey().replace(' ', '-')).resolve("control.json");
            Files.createDirectories(file.getParent());
            writeFlags(file, 1, "{\"slow\": {\"enabled\": true, \"latency_ms\": 5}}");
            List<ControlFileException> errors = new ArrayList<>();
            ControlReader reader = new ControlReader(file.toString(), new ControlReader.Options().follow(false).onError(errors::add));
            assertTrue(reader.fires("slow"), bad.getKey());
            bad.getValue().make(file);
            reader.reload();
            assertEquals(1, reader.generation(), bad.getKey());
            assertEquals(5_000_000, reader.decide("slow").delayNanos(), bad.getKey());
            assertEquals(5_000_000, reader.fireDelayNanos("slow"), "fast path: " + bad.getKey());
            assertEquals(1, errors.size(), bad.getKey());
            assertTrue(errors.get(0).getMessage().contains(file.toString()), bad.getKey());
        }
    }

    @Test
    void badInputBeforeAnyGoodStateFiresNothing() throws IOException {
        for (Map.Entry<String, Bad> bad : badInputs().entrySet()) {
            Path file = root.resolve(bad.getKey().replace(' ', '-')).resolve("control.json");
            Files.createDirectories(file.getParent());
            writeFlags(file, 0, "{}");
            bad.getValue().make(file);
            ControlReader reader = new ControlReader(file.toString(), new ControlReader.Options().follow(false).onError(e -> { }));
            assertFalse(reader.fires("slow"), bad.getKey());
            assertEquals(-1, reader.fireDelayNanos("slow"), "fast path: " + bad.getKey());
            assertNotNull(reader.error(), bad.getKey());
        }
    }

    @Test
    void aFileThatDisappearsMeansNoFaultsAndNoError() throws IOException {
        writeFlags(file(), 1, "{\"slow\": {\"enabled\": true}}");
        ControlReader reader = new ControlReader(file().toString(), new ControlReader.Options().follow(false));
        Files.delete(file());
        reader.reload();
        assertFalse(reader.fires("slow"));
        assertNull(reader.error());
    }

    /**
     * The watcher thread itself meets the bad input (no reload() here): it reports it through
     * onError and the "dev.chaosctl.control" logger, keeps the last good state, clears it
     * when the file disappears, and keeps following.
     */
    @Test
    void whileFollowedABadFileThenAVanishedOneThenAGoodOne() throws Exception {
        writeFlags(file(), 1, "{\"slow\": {\"enabled\": true, \"latency_ms\": 5}}");
        List<ControlFileException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.chaosctl.control");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel() == java.util.logging.Level.WARNING) logged.add(record.getMessage());
            }
            @Override public void flush() { }
            @Override public void close() { }
        };
        logger.addHandler(handler);
        ControlReader.Options options = new ControlReader.Options().pollIntervalMillis(3_600_000).onError(errors::add);
        try (ControlReader reader = new ControlReader(file().toString(), options)) {
            badInputs().get("deeply nested").make(file());
            waitFor("the watcher reports the nested file", () -> errors.size() == 1);
            assertTrue(logged.size() == 1 && logged.get(0).contains(file().toString()), logged.toString());
            assertEquals(1, reader.generation());
            assertEquals(5_000_000, reader.fireDelayNanos("slow"));
            Files.delete(file());
            waitFor("the vanished file clears the error", () -> reader.error() == null);
            assertEquals(0, reader.generation());
            assertEquals(-1, reader.fireDelayNanos("slow"));
            writeFlags(file(), 3, "{\"slow\": {\"enabled\": true, \"latency_ms\": 5}}");
            waitFor("still following", () -> reader.generation() == 3 && reader.fires("slow"));
            assertEquals(1, errors.size());
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void errorNamesFlagFieldAndValue() throws IOException {
        writeFlags(file(), 1, "{\"slow\": {\"enabled\": true, \"percent\": 150}}");
        ControlReader reader = new ControlReader(file().toString(), new ControlReader.Options().follow(false).onError(e -> { }));
        assertEquals(file() + ": flag \"slow\": field \"percent\": 150 must be a number 0-100", reader.error().getMessage());
    }

    @Test
    void renameOverIsSeenThroughTheWatchService() throws Exception {
        try (ControlReader reader = new ControlReader(file().toString(), new ControlReader.Options().pollIntervalMillis(3_600_000))) {
            writeFlags(file(), 1, "{\"a\": {\"enabled\": true}}");
            waitFor("rename-over", () -> reader.fires("a"));
            writeFlags(file(), 2, "{}");
            waitFor("second write", () -> reader.generation() == 2);
        }
    }

    @Test
    void configMapDataSwapIsSeen() throws Exception {
        ControlReader reader = null;
        for (int i = 0; i < 2; i++) {
            String name = i == 0 ? "a" : "b";
            Path version = Files.createDirectory(root.resolve("..v" + name));
            Files.writeString(version.resolve("control.json"),
                "{\"version\": 1, \"generation\": " + (i + 1) + ", \"flags\": {\"" + name + "\": {\"enabled\": true}}}");
            Files.createSymbolicLink(root.resolve("..data_tmp"), Path.of("..v" + name));
            Files.move(root.resolve("..data_tmp"), root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            if (i == 0) {
                Files.createSymbolicLink(file(), Path.of("..data/control.json"));
                reader = new ControlReader(file().toString(), new ControlReader.Options().pollIntervalMillis(3_600_000));
            }
        }
        ControlReader followed = reader;
        waitFor("..data swap", () -> followed.generation() == 2);
        assertTrue(followed.fires("b"));
        assertFalse(followed.fires("a"));
        followed.close();
    }

    @Test
    void pollingAloneFollowsADirectoryCreatedLater() throws Exception {
        Path later = root.resolve("later").resolve("control.json");
        try (ControlReader reader = new ControlReader(later.toString(), new ControlReader.Options().pollIntervalMillis(20).watch(false))) {
            Files.createDirectory(later.getParent());
            writeFlags(later, 1, "{\"a\": {\"enabled\": true}}");
            waitFor("polling", () -> reader.fires("a"));
        }
    }

    @Test
    void expiryIsDecidedAtTheMillisecond() throws IOException {
        writeFlags(file(), 1, "{\"e\": {\"enabled\": true, \"expires_at\": \"2026-11-22T17:00:00.035Z\"}}");
        AtomicLong now = new AtomicLong(Rfc3339.parseMillis("2026-11-22T17:00:00.034Z"));
        ControlReader reader = new ControlReader(file().toString(), new ControlReader.Options().follow(false).clockMillis(now::get));
        assertTrue(reader.fires("e"));
        now.incrementAndGet();
        assertFalse(reader.fires("e"));
    }

    @Test
    void fireDelayNanosDecidesExactlyAsDecide() throws IOException {
        writeFlags(file(), 1, "{\"j\": {\"enabled\": true, \"percent\": 50, \"latency_ms\": 100, \"jitter_ms\": 80, \"mode\": \"fail\"}}");
        ControlReader decide = new ControlReader(file().toString(), new ControlReader.Options().follow(false).seed(42));
        ControlReader delays = new ControlReader(file().toString(), new ControlReader.Options().follow(false).seed(42));
        for (int i = 0; i < 200; i++) {
            Decision d = decide.decide("j");
            assertEquals(d.fires() ? d.delayNanos() : -1, delays.fireDelayNanos("j"), "call " + i);
        }
        assertEquals("fail", delays.mode("j"));
        assertNull(delays.severity("j"));
    }

    /**
     * Unseeded flags (ThreadLocalRandom; at 100 % the draw is the jitter's own bits): whole-ns
     * delays over the whole range, clamped at 0, and a 50 % flag near its rate.
     */
    @Test
    void unseededJitterCoversItsRangeClampsAtZeroAndKeepsItsRate() throws IOException {
        writeFlags(file(), 1, "{\"all\": {\"enabled\": true, \"latency_ms\": 5, \"jitter_ms\": 2},"
            + " \"half\": {\"enabled\": true, \"percent\": 50, \"latency_ms\": 5, \"jitter_ms\": 2},"
            + " \"clamp\": {\"enabled\": true, \"latency_ms\": 1, \"jitter_ms\": 3}}");
        try (ControlReader reader = new ControlReader(file().toString(), new ControlReader.Options().follow(false))) {
            for (String name : List.of("all", "half")) {
                long min = Long.MAX_VALUE, max = Long.MIN_VALUE, fired = 0;
                for (int i = 0; i < 20_000; i++) {
                    long delay = reader.fireDelayNanos(name);
                    if (delay < 0) continue;
                    fired++;
                    assertTrue(delay >= 3_000_000 && delay <= 7_000_000, name + ": " + delay);
                    min = Math.min(min, delay);
                    max = Math.max(max, delay);
                }
                assertTrue(min < 3_100_000 && max > 6_900_000, name + ": " + min + " " + max);
                if (name.equals("all")) assertEquals(20_000, fired);
                else assertTrue(fired > 9_000 && fired < 11_000, "50 % of 20 000, 14 sigma wide: " + fired);
            }
            int zeros = 0;
            for (int i = 0; i < 3_000; i++) {
                long delay = reader.fireDelayNanos("clamp");
                assertTrue(delay >= 0);
                if (delay == 0) zeros++;
            }
            assertTrue(zeros > 700, "[-2, 4] ms: a third clamps to 0 (~1000), got " + zeros);
        }
    }

    /** The fast path builds nothing per call: this thread's allocated bytes, not a timing. */
    @Test
    void fastPathAllocatesNothing() throws IOException {
        writeFlags(file(), 1, "{\"hot\": {\"enabled\": true, \"latency_ms\": 5, \"jitter_ms\": 2},"
            + " \"half\": {\"enabled\": true, \"percent\": 50, \"latency_ms\": 5, \"jitter_ms\": 2},"
            + " \"seeded\": {\"enabled\": true, \"percent\": 50, \"jitter_ms\": 2, \"seed\": 1},"
            + " \"cold\": {\"enabled\": true, \"percent\": 0}}");
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        try (ControlReader reader = new ControlReader(file().toString(), new ControlReader.Options().follow(false))) {
            long sum = 0;
            for (String name : List.of("hot", "half", "seeded", "cold", "absent")) {
                sum += reader.fireDelayNanos(name) + (reader.fires(name) ? 1 : 0);   // first calls: class loading
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 100_000; i++) {
                sum += reader.fireDelayNanos("hot") + reader.fireDelayNanos("half") + reader.fireDelayNanos("seeded")
                    + reader.fireDelayNanos("cold") + reader.fireDelayNanos("absent") + (reader.fires("half") ? 1 : 0);
            }
            long bytes = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(sum > 0);
            // One small object in any call of the loop would be >= 1.6 MB; what stays is the
            // JIT's one-time work on this thread (measured: 688 B), so the bound is 64 KiB.
            assertTrue(bytes < 64 * 1024, bytes + " bytes allocated by 600 000 fast-path calls");
        }
    }

    @Test
    void maxHitsIsExactAcrossThreads() throws Exception {
        writeFlags(file(), 1, "{\"m\": {\"enabled\": true, \"max_hits\": 1000}}");
        ControlReader reader = new ControlReader(file().toString(), new ControlReader.Options().follow(false));
        AtomicLong fired = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 600; i++) if (reader.fires("m")) fired.incrementAndGet();
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) thread.join();
        assertEquals(1000, fired.get());
    }
}
