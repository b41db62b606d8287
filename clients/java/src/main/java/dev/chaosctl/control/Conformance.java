package dev.chaosctl.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Conformance runner: {@code java -cp build/classes dev.chaosctl.control.Conformance VECTOR.json...}
 * runs docs/conformance/ vectors (docs/control-file.md section 8) through a real
 * ControlReader and prints one JSON line per vector. With {@code --fast} first, "decide"
 * calls go through the fast path ({@code fireDelayNanos}, {@code mode}, {@code severity}).
 */
public final class Conformance {
    private final Path directory, path;
    private final boolean fast;
    private int versions;

    private Conformance(Path root, boolean fast) {
        directory = root.resolve("chaos");
        path = directory.resolve("control.json");
        this.fast = fast;
    }

    /** One decide call as the vectors print it, through decide() or (--fast) the fast path. */
    private Map<String, Object> decision(ControlReader reader, String flag) {
        boolean fires;
        long delay;
        String mode, severity;
        if (fast) {
            delay = reader.fireDelayNanos(flag);
            fires = delay >= 0;
            mode = fires ? reader.mode(flag) : null;
            severity = fires ? reader.severity(flag) : null;
        } else {
            Decision d = reader.decide(flag);
            fires = d.fires();
            delay = d.delayNanos();
            mode = d.mode();
            severity = d.severity();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fires", fires);
        out.put("delay_ns", fires ? delay : 0);
        out.put("mode", mode == null ? Json.NULL : mode);
        out.put("severity", severity == null ? Json.NULL : severity);
        return out;
    }

    private static void clear(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(target)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        } else {
            Files.delete(target);
        }
    }

    private void replace(String text) throws IOException {
        Files.createDirectories(directory);
        Path temp = directory.resolve(".control.json.tmp." + ProcessHandle.current().pid());
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) clear(path);
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void configMap(String text) throws IOException {
        versions++;
        String version = "..2026_11_22_17_05_00." + versions;
        Files.createDirectories(directory.resolve(version));
        Files.writeString(directory.resolve(version).resolve("control.json"), text);
        Files.createSymbolicLink(directory.resolve("..data_tmp"), Path.of(version));
        Files.move(directory.resolve("..data_tmp"), directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        boolean linked = Files.isSymbolicLink(path) && Files.readSymbolicLink(path).toString().equals("..data/control.json");
        if (!linked) {
            clear(path);
            Files.createSymbolicLink(path, Path.of("..data/control.json"));
        }
    }

    @SuppressWarnings("unchecked")
    private boolean apply(Map<String, Object> step) throws IOException {
        switch ((String) step.get("op")) {
            case "write" -> replace(Json.write(step.get("document")));
            case "write_text" -> replace((String) step.get("text"));
            case "write_large" -> {
                String text = "{\"version\": 1, \"generation\": 99, \"flags\": {}}";
                replace(text + " ".repeat(((Double) step.get("bytes")).intValue() - text.length()));
            }
            case "configmap" -> configMap(Json.write(step.get("document")));
            case "remove" -> clear(path);
            case "remove_directory" -> clear(directory);
            case "make_directory" -> {
                clear(path);
                Files.createDirectories(path);
            }
            case "symlink_loop" -> {
                Files.createDirectories(directory);
                clear(path);
                Files.createSymbolicLink(path, Path.of("control.json"));
            }
            default -> { return false; }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private List<Object> run(Map<String, Object> vector) throws IOException {
        long[] now = {Rfc3339.parseMillis(vector.get("clock"))};
        ControlReader reader = null;
        List<Object> results = new ArrayList<>();
        try {
            for (Object item : (List<Object>) vector.get("steps")) {
                Map<String, Object> step = (Map<String, Object>) item;
                String op = (String) step.get("op");
                if (apply(step)) {
                    if (reader != null) reader.reload();
                    continue;
                }
                if (op.equals("clock")) {
                    now[0] = Rfc3339.parseMillis(step.get("at"));
                    continue;
                }
                if (reader == null) {
                    ControlReader.Options options = new ControlReader.Options().follow(false)
                        .clockMillis(() -> now[0]).onError(e -> { });
                    if (vector.get("reader_seed") instanceof Double seed) options.seed(seed.longValue());
                    reader = new ControlReader(path.toString(), options);
                }
                if (op.equals("call")) {
                    int count = ((List<Object>) step.get("expect")).size();
                    String flag = (String) step.get("flag");
                    List<Object> seen = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        if ("fires".equals(step.get("method"))) {
                            seen.add(reader.fires(flag));
                        } else {
                            seen.add(decision(reader, flag));
                        }
                    }
                    results.add(seen);
                } else if (op.equals("state")) {
                    Map<String, Object> expect = (Map<String, Object>) step.get("expect");
                    Map<String, Object> seen = new LinkedHashMap<>();
                    if (expect.containsKey("generation")) seen.put("generation", reader.generation());
                    if (expect.containsKey("error")) seen.put("error", reader.error() != null);
                    if (expect.containsKey("params")) {
                        Map<String, Object> params = new LinkedHashMap<>();
                        for (String name : ((Map<String, Object>) expect.get("params")).keySet()) params.put(name, reader.params(name));
                        seen.put("params", params);
                    }
                    results.add(seen);
                } else if (!op.equals("start")) {
                    throw new IOException("unknown op " + op);
                }
            }
        } finally {
            if (reader != null) reader.close();
        }
        return results;
    }

    /** --watch PATH FLAG SECONDS: the live cross-language test's reader (scripts/live-clients.py). */
    private static void watch(String file, String name, double seconds) throws InterruptedException {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        try (ControlReader reader = new ControlReader(file, new ControlReader.Options().onError(e -> errors.incrementAndGet()))) {
            boolean last = false;
            System.out.println("ready");
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                boolean fires = reader.fires(name);
                if (fires != last) {
                    java.time.Instant now = java.time.Instant.now();
                    System.out.println(fires + " " + (now.getEpochSecond() * 1_000_000_000L + now.getNano()));
                    last = fires;
                }
                Thread.sleep(0, 200_000);
            }
            System.out.println("errors " + errors.get());
        }
    }

    private interface Body { long call(); }

    /**
     * Fastest ns per call of each body over rounds of 100 000 calls taken in turn for about
     * {@code seconds}, after a warm-up for the JIT: a loaded machine's preemption does not
     * land on one body only.
     */
    private static Map<String, Double> measure(double seconds, Map<String, Body> bodies, long[] sink) {
        int calls = 100_000;
        for (Body body : bodies.values()) for (int i = 0; i < 20 * calls; i++) sink[0] += body.call();
        Map<String, Double> best = new LinkedHashMap<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int round = 0; round < 5 || System.nanoTime() < end; round++) {
            for (Map.Entry<String, Body> entry : bodies.entrySet()) {
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) sink[0] += entry.getValue().call();
                double ns = Math.round((System.nanoTime() - start) * 100.0 / calls) / 100.0;
                best.merge(entry.getKey(), ns, Math::min);
            }
        }
        return best;
    }

    /** Bytes allocated by this thread per call (com.sun.management's per-thread counter). */
    private static double allocated(Body body, long[] sink) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId(), before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) sink[0] += body.call();
        return (threads.getThreadAllocatedBytes(id) - before) / 1_000_000.0;
    }

    /** --bench SECONDS: ns and bytes per decision against HashMap.get plus one RNG call. */
    private static void bench(double seconds) throws IOException {
        Path root = Files.createTempDirectory("control-bench-");
        Path file = root.resolve("control.json");
        Files.writeString(file, "{\"version\": 1, \"generation\": 1, \"flags\": {\"hot\": {\"enabled\": true, \"latency_ms\": 5, \"jitter_ms\": 2},"
            + " \"cold\": {\"enabled\": true, \"percent\": 0}}}");
        Map<String, Double> percents = new java.util.HashMap<>(Map.of("hot", 100.0, "cold", 0.0));
        long[] sink = {0};
        try (ControlReader reader = new ControlReader(file.toString())) {
            Body fire = () -> reader.fireDelayNanos("hot");
            Body fireDecide = () -> reader.decide("hot").delayNanos();
            Body noFire = () -> reader.fireDelayNanos("cold");
            Body noFireDecide = () -> reader.decide("cold").fires() ? 1 : 0;
            Body reference = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble() * 100 < percents.get("hot") ? 1 : 0;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("language", "java");
            Map<String, Body> bodies = new LinkedHashMap<>();
            bodies.put("fire_ns", fire);
            bodies.put("nofire_ns", noFire);
            bodies.put("reference_ns", reference);
            bodies.put("decide_fire_ns", fireDecide);
            bodies.put("decide_nofire_ns", noFireDecide);
            out.putAll(measure(seconds, bodies, sink));
            out.put("clock", "wall, fastest round of 100000 calls");
            out.put("fire_bytes", allocated(fire, sink));
            out.put("decide_fire_bytes", allocated(fireDecide, sink));
            out.put("nofire_bytes", allocated(noFire, sink));
            out.put("decide_nofire_bytes", allocated(noFireDecide, sink));
            out.put("sink", (double) (sink[0] % 2));
            System.out.println(Json.write(out));
        } finally {
            clear(root);
        }
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length == 2 && args[0].equals("--bench")) {
            bench(Double.parseDouble(args[1]));
            return;
        }
        if (args.length == 4 && args[0].equals("--watch")) {
            watch(args[1], args[2], Double.parseDouble(args[3]));
            return;
        }
        System.setProperty("java.util.logging.config.file", "/dev/null");   // rejected files are expected here
        java.util.logging.LogManager.getLogManager().reset();
        int status = 0;
        boolean fast = args.length > 0 && args[0].equals("--fast");
        for (String file : fast ? Arrays.copyOfRange(args, 1, args.length) : args) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("file", file);
            Path root = null;
            try {
                Map<String, Object> vector = (Map<String, Object>) Json.parse(Files.readString(Path.of(file)), 100_000);
                line.put("name", vector.get("name"));
                root = Files.createTempDirectory("control-conformance-");
                line.put("results", new Conformance(root, fast).run(vector));
            } catch (Exception | StackOverflowError e) {
                line.put("error", e.toString());
                status = 1;
            } finally {
                if (root != null) {
                    try {
                        clear(root);
                    } catch (IOException ignored) {
                        // a temp directory left behind is harmless
                    }
                }
            }
            System.out.println(Json.write(line));
        }
        System.exit(status);
    }
}
