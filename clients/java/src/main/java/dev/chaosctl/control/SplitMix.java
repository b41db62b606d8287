package dev.chaosctl.control;

import java.math.BigDecimal;

/** SplitMix64, the one random sequence of the control-file spec (docs/control-file.md 3.3). */
final class SplitMix {
    static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long JITTER_SALT = 0xD1B54A32D192ED03L;

    private SplitMix() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The unsigned threshold floor(percent / 100 × 2^64), or null when every call passes. */
    static Long threshold(double percent) {
        double q = percent / 100;
        if (q >= 1) return null;
        return new BigDecimal(q * 18446744073709551616.0).toBigInteger().longValue();
    }

    static boolean below(long draw, long threshold) {
        return Long.compareUnsigned(draw, threshold) < 0;
    }

    /** latency ± jitter in whole nanoseconds from one draw, clamped at 0. */
    static long delayNanos(long draw, long latency, long jitter) {
        return jitter == 0 ? latency : delayFromBits(mix(draw ^ JITTER_SALT), latency, jitter);
    }

    /** latency ± jitter from 64 uniform bits: offset = floor(bits × (2 jitter + 1) / 2^64). */
    static long delayFromBits(long bits, long latency, long jitter) {
        long span = 2 * jitter + 1;
        // Unsigned high half of the 128-bit product (Math.unsignedMultiplyHigh is Java 18+).
        long offset = Math.multiplyHigh(bits, span) + ((bits >> 63) & span) + ((span >> 63) & bits);
        return Math.max(0, latency + offset - jitter);
    }
}
