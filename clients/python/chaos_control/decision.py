"""The outcome of one call's roll of a flag."""
import time


class Decision(tuple):
    """(fires, delay_ns, mode, severity): whether to inject the fault, the delay in
    nanoseconds (latency_ms ± jitter_ms), and the flag's mode and severity when firing."""

    __slots__ = ()

    def __new__(cls, fires, delay_ns=0, mode=None, severity=None):
        return tuple.__new__(cls, (fires, delay_ns, mode, severity))

    fires = property(lambda self: self[0])
    delay_ns = property(lambda self: self[1])
    mode = property(lambda self: self[2])
    severity = property(lambda self: self[3])

    @property
    def delay_seconds(self):
        return self[1] / 1e9

    def sleep(self):
        """Blocks for the delay (no-op when 0). Async code: `await asyncio.sleep(d.delay_seconds)`."""
        if self[1] > 0:
            time.sleep(self[1] / 1e9)

    def __bool__(self):
        return self[0]

    def __repr__(self):
        return "Decision(fires=%r, delay_ns=%r, mode=%r, severity=%r)" % tuple(self)


NONE = Decision(False)
