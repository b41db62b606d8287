"""SplitMix64, the one random sequence of the control-file spec (docs/control-file.md 3.3)."""

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
JITTER_SALT = 0xD1B54A32D192ED03


def mix(z):
    """The SplitMix64 finaliser."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def advance(state):
    """One step: (new state, draw)."""
    state = (state + GOLDEN) & MASK
    return state, mix(state)


def threshold(percent):
    """None when every call passes the percent test, else the draw must be below this."""
    q = float(percent) / 100.0
    return None if q >= 1.0 else int(q * 18446744073709551616.0)


def delay_ns(draw, latency_ns, jitter_ns):
    """latency ± jitter in whole nanoseconds from one draw, clamped at 0."""
    if jitter_ns == 0:
        return latency_ns
    offset = (mix(draw ^ JITTER_SALT) * (2 * jitter_ns + 1)) >> 64
    return max(0, latency_ns + offset - jitter_ns)
