package dev.chaosctl.control;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Control-file bytes → an immutable snapshot (docs/control-file.md sections 2-3). Any invalid part rejects the file. */
final class Document {
    static final int SUPPORTED_VERSION = 1, MAX_FILE_BYTES = 1 << 20, MAX_DEPTH = 512;
    private static final double MAX_MILLISECONDS = 86_400_000, MAX_HITS = 1e12, MAX_SAFE = 9007199254740991.0;
    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,128}");

    /** max_hits count and the flag-seed sequence of one definition of a flag. */
    static final class Counters {
        final AtomicLong hits = new AtomicLong();
        final AtomicLong sequence;
        Counters(long seed) { sequence = new AtomicLong(seed); }
    }

    /** One flag, compiled; immutable except that a publish may hand it its predecessor's counters. */
    static final class Flag {
        final boolean enabled, always;
        final long threshold, latencyNanos, jitterNanos, expiresMillis, maxHits;
        final boolean hasExpiry, seeded;
        final String mode, severity, definition;
        final Map<String, Object> params;
        final Decision fixed;
        volatile Counters counters;

        Flag(boolean enabled, Long threshold, long latencyNanos, long jitterNanos, String mode, String severity,
             Long expiresMillis, long maxHits, Long seed, Map<String, Object> params, String definition) {
            this.enabled = enabled;
            this.always = threshold == null;
            this.threshold = threshold == null ? 0 : threshold;
            this.latencyNanos = latencyNanos;
            this.jitterNanos = jitterNanos;
            this.mode = mode;
            this.severity = severity;
            this.hasExpiry = expiresMillis != null;
            this.expiresMillis = expiresMillis == null ? 0 : expiresMillis;
            this.maxHits = maxHits;
            this.seeded = seed != null;
            this.params = params;
            this.definition = definition;
            this.fixed = new Decision(true, latencyNanos, mode, severity);   // firing without jitter: no allocation per call
            this.counters = new Counters(seed == null ? 0 : seed);
        }
    }

    final long generation;
    final Map<String, Flag> flags;

    static final Document EMPTY = new Document(0, Map.of());

    private Document(long generation, Map<String, Flag> flags) {
        this.generation = generation;
        this.flags = flags;
    }

    private static double integer(Object value, double low, double high, String flag, String field) throws ControlFileException {
        if (!(value instanceof Double)) throw ControlFileException.field("must be an integer", flag, field, value);
        double number = (Double) value;
        if (number != Math.rint(number)) throw ControlFileException.field("is not an integer", flag, field, value);
        if (number < low || number > high) {
            throw ControlFileException.field(String.format("is out of range %.0f-%.0f", low, high), flag, field, value);
        }
        return number;
    }

    @SuppressWarnings("unchecked")
    static Document parse(byte[] data) throws ControlFileException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw ControlFileException.of("is not valid JSON (not UTF-8)");
        }
        Object root;
        try {
            root = Json.parse(text, MAX_DEPTH);
        } catch (Json.ParseException e) {
            throw ControlFileException.of("is not valid JSON (" + e.getMessage() + ")");
        } catch (StackOverflowError e) {
            throw ControlFileException.of("is nested too deeply");
        }
        if (!(root instanceof Map)) throw ControlFileException.of("the top level must be a JSON object");
        Map<String, Object> top = (Map<String, Object>) root;
        if (!top.containsKey("version")) throw ControlFileException.field("is required", null, "version", null);
        double version = integer(top.get("version"), 1, Double.MAX_VALUE, null, "version");
        if (version > SUPPORTED_VERSION) {
            throw ControlFileException.of(String.format("unsupported version %.0f (this reader understands version %d)", version, SUPPORTED_VERSION));
        }
        if (!top.containsKey("generation")) throw ControlFileException.field("is required", null, "generation", null);
        long generation = (long) integer(top.get("generation"), 0, MAX_SAFE, null, "generation");
        if (top.containsKey("updated_at") && Rfc3339.parseMillis(top.get("updated_at")) == null) {
            throw ControlFileException.field("is not an RFC 3339 timestamp", null, "updated_at", top.get("updated_at"));
        }
        if (top.containsKey("updated_by") && !(top.get("updated_by") instanceof String)) {
            throw ControlFileException.field("must be a string", null, "updated_by", top.get("updated_by"));
        }
        if (!top.containsKey("flags")) throw ControlFileException.field("is required", null, "flags", null);
        if (!(top.get("flags") instanceof Map)) {
            throw ControlFileException.field("must be an object mapping flag names to flags", null, "flags", top.get("flags"));
        }
        Map<String, Flag> flags = new LinkedHashMap<>();   // hashed for the per-call lookup, in name order
        for (Map.Entry<String, Object> entry : new TreeMap<>((Map<String, Object>) top.get("flags")).entrySet()) {
            flags.put(entry.getKey(), parseFlag(entry.getKey(), entry.getValue()));
        }
        return new Document(generation, Collections.unmodifiableMap(flags));
    }

    @SuppressWarnings("unchecked")
    static Flag parseFlag(String name, Object value) throws ControlFileException {
        if (!NAME.matcher(name).matches()) {
            throw new ControlFileException("invalid flag name: must match ^[a-z0-9._-]{1,128}$", null, name, null, null);
        }
        if (!(value instanceof Map)) throw ControlFileException.field("must be an object", name, null, value);
        Map<String, Object> fields = (Map<String, Object>) value;
        if (!fields.containsKey("enabled")) throw ControlFileException.field("is required", name, "enabled", null);
        if (!(fields.get("enabled") instanceof Boolean)) {
            throw ControlFileException.field("must be true or false", name, "enabled", fields.get("enabled"));
        }
        Object percentValue = fields.getOrDefault("percent", 100.0);
        if (!(percentValue instanceof Double) || (Double) percentValue < 0 || (Double) percentValue > 100) {
            throw ControlFileException.field("must be a number 0-100", name, "percent", percentValue);
        }
        long latency = fields.containsKey("latency_ms") ? (long) integer(fields.get("latency_ms"), 0, MAX_MILLISECONDS, name, "latency_ms") : 0;
        long jitter = fields.containsKey("jitter_ms") ? (long) integer(fields.get("jitter_ms"), 0, MAX_MILLISECONDS, name, "jitter_ms") : 0;
        String mode = null, severity = null;
        if (fields.containsKey("mode")) {
            if (!List.of("fail", "fallback").contains(fields.get("mode"))) {
                throw ControlFileException.field("is not one of fail, fallback", name, "mode", fields.get("mode"));
            }
            mode = (String) fields.get("mode");
        }
        if (fields.containsKey("severity")) {
            if (!List.of("soft", "hard").contains(fields.get("severity"))) {
                throw ControlFileException.field("is not one of soft, hard", name, "severity", fields.get("severity"));
            }
            severity = (String) fields.get("severity");
        }
        Long expires = null;
        if (fields.containsKey("expires_at")) {
            expires = Rfc3339.parseMillis(fields.get("expires_at"));
            if (expires == null) {
                throw ControlFileException.field("is not an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)", name, "expires_at", fields.get("expires_at"));
            }
        }
        long maxHits = fields.containsKey("max_hits") ? (long) integer(fields.get("max_hits"), 1, MAX_HITS, name, "max_hits") : 0;
        Long seed = fields.containsKey("seed") ? (long) integer(fields.get("seed"), 0, MAX_SAFE, name, "seed") : null;
        Map<String, Object> params = new TreeMap<>();
        if (fields.containsKey("params")) {
            if (!(fields.get("params") instanceof Map)) throw ControlFileException.field("must be an object", name, "params", fields.get("params"));
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) fields.get("params")).entrySet()) {
                int bytes = entry.getKey().getBytes(StandardCharsets.UTF_8).length;
                if (bytes < 1 || bytes > 128) {
                    throw ControlFileException.field("is not a valid parameter name (1-128 bytes)", name, "params", entry.getKey());
                }
                Object param = entry.getValue();
                if (!(param instanceof String || param instanceof Boolean || param instanceof Double)) {
                    throw ControlFileException.field("must be a string, number or boolean", name, "params." + entry.getKey(), param);
                }
                params.put(entry.getKey(), param);
            }
        }
        return new Flag((Boolean) fields.get("enabled"), SplitMix.threshold((Double) percentValue), latency * 1_000_000,
            jitter * 1_000_000, mode, severity, expires, maxHits, seed, Collections.unmodifiableMap(params),
            Objects.requireNonNull(Json.write(fields)));
    }
}
