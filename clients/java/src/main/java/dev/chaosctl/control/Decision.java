package dev.chaosctl.control;

/**
 * One call's outcome: whether the fault fires, the delay (latency_ms ± jitter_ms, in
 * nanoseconds), and the flag's mode and severity ({@code null} when absent or not firing).
 */
public record Decision(boolean fires, long delayNanos, String mode, String severity) {
    /** "Do nothing." */
    public static final Decision NONE = new Decision(false, 0, null, null);

    /** Sleeps the delay (no-op when 0). */
    public void sleep() throws InterruptedException {
        if (delayNanos > 0) Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
    }
}
