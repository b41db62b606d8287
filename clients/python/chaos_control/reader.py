"""ControlReader: loads the control file once, follows it, and decides per call."""
import logging
import math
import os
import random
import select
import threading
import time

from . import document, files, splitmix
from .decision import NONE, Decision
from .errors import ControlFileError
from .inotify import DirectoryWatch

LOG = logging.getLogger("chaos_control")
_new_tuple = tuple.__new__   # Decision's fields without a Python-level __new__ call on the hot path
_random = random.Random().random   # unseeded flags: any uniform source is conformant (3.3)
_floor = math.floor                # span = 2 jitter + 1 < 2^53: every offset reachable, odds equal to 2^-53


class InjectedFault(Exception):
    """Raised by `ControlReader.inject` when a flag in mode "fail" fires."""

    def __init__(self, flag, decision):
        super().__init__("chaos: flag %r fired (%r)" % (flag, decision))
        self.flag, self.decision = flag, decision


class _Counters:
    """Per flag name: which definition it counts, firings, and the flag-seed sequence state."""
    __slots__ = ("definition", "hits", "sequence")

    def __init__(self, definition, seed):
        self.definition, self.hits, self.sequence = definition, 0, seed or 0


class ControlReader:
    """Follows a control file (docs/control-file.md) and answers "does this call fire?".

    A missing file means no faults. An unreadable, invalid or newer-version file is not put
    in force: the last good state stays (no faults if there never was one) and the problem
    is logged on the "chaos_control" logger, kept in `error` and passed to `on_error`.
    Decisions never raise.
    """

    def __init__(self, path, poll_interval=1.0, seed=None, watch=True, follow=True,
                 clock_ns=time.time_ns, on_error=None, on_change=None):
        self.path = path
        self.on_error, self.on_change = on_error, on_change
        self._poll_interval = max(0.001, poll_interval)
        self._clock_ns = clock_ns
        self._reader_seeded = seed is not None
        self._reader_state = seed or 0
        self._lock = threading.Lock()               # counters and seeded sequences
        self._load_lock = threading.Lock()
        self._counters = {}
        self._snapshot = document.EMPTY
        self._flags = {}                            # the snapshot's flags as a plain dict (faster than its proxy)
        self._plain = {}                            # name -> Flag.fast for flags the unseeded fast path decides
        self._error = None
        self._last_bytes = None
        self._last_identity = None
        self._stopped = threading.Event()
        self._wake_read, self._wake_write = os.pipe()     # stop() wakes the watcher's select
        self._watch = DirectoryWatch(path) if (watch and follow) else None   # before the first read
        self.reload()
        self._thread = None
        if follow:
            self._thread = threading.Thread(target=self._follow, name="chaos_control watcher", daemon=True)
            self._thread.start()

    # ---- state -------------------------------------------------------------------------------
    @property
    def snapshot(self):
        """The document in force (immutable)."""
        return self._snapshot

    @property
    def generation(self):
        return self._snapshot.generation

    @property
    def error(self):
        """Why the file on disk is not in force, or None."""
        return self._error

    def flag(self, name):
        return FlagHandle(self, name)

    def params(self, name):
        flag = self._snapshot.flags.get(name)
        return dict(flag.params) if flag else {}

    # ---- decisions -----------------------------------------------------------------------------
    def fires(self, name):
        """Whether this call of flag `name` should inject its fault (the same draw as decide())."""
        entry = self._plain.get(name)
        if entry is not None:
            q = entry[0]
            return q >= 1.0 or _random() < q
        flag = self._flags.get(name)
        return flag is not None and self._fire_delay_in_full(flag) is not None

    def fire_delay_ns(self, name):
        """The fast path: this call's delay in nanoseconds (an int, 0 without latency) when
        flag `name` fires, None when it does not. Builds nothing per call; the flag's mode and
        severity are `mode(name)` and `severity(name)`. Test with `is not None`: 0 fires."""
        entry = self._plain.get(name)
        if entry is None:
            flag = self._flags.get(name)
            return None if flag is None else self._fire_delay_in_full(flag)
        q, low, span = entry
        if q < 1.0 and not _random() < q:    # at 100 % the roll cannot fail: no draw (3.3, unseeded)
            return None
        if span == 1.0:                      # no jitter
            return low
        delay = low + _floor(_random() * span)
        return delay if delay > 0 else 0

    def decide(self, name):
        """The whole decision for one call: fires, delay_ns, mode, severity (one tuple when
        firing with jitter; `fire_delay_ns` builds none)."""
        flag = self._flags.get(name)
        if flag is None:
            return NONE
        delay = self.fire_delay_ns(name) if flag.plain else self._fire_delay_in_full(flag)
        if delay is None:
            return NONE
        if flag.jitter_ns == 0:
            return flag.decision                 # built once per definition
        return _new_tuple(Decision, (True, delay, flag.mode, flag.severity))

    def mode(self, name):
        """The flag's mode in force ("fail", "fallback") or None."""
        flag = self._flags.get(name)
        return None if flag is None else flag.mode

    def severity(self, name):
        """The flag's severity in force ("soft", "hard") or None."""
        flag = self._flags.get(name)
        return None if flag is None else flag.severity

    def _fire_delay_in_full(self, flag):
        """Sections 3.1 and 3.3 for any flag (disabled, expiring, counted or seeded ones
        come here): the delay in ns when the call fires, else None."""
        if not flag.enabled:
            return None
        if flag.expires_ms is not None and self._clock_ns() // 1_000_000 >= flag.expires_ms:
            return None
        if self._reader_seeded:
            with self._lock:
                self._reader_state, draw = splitmix.advance(self._reader_state)
        elif flag.seed is not None:
            with self._lock:
                counters = self._counters_for(flag)
                counters.sequence, draw = splitmix.advance(counters.sequence)
        else:
            draw = None
            if not _random() < flag.q:
                return None
        if draw is not None and flag.threshold is not None and draw >= flag.threshold:
            return None
        if flag.max_hits is not None:
            with self._lock:
                counters = self._counters_for(flag)
                if counters.hits >= flag.max_hits:
                    return None
                counters.hits += 1
        if flag.jitter_ns == 0:
            return flag.latency_ns
        if draw is not None:
            return splitmix.delay_ns(draw, flag.latency_ns, flag.jitter_ns)
        delay = flag.low_ns + _floor(_random() * flag.span)
        return delay if delay > 0 else 0

    def _counters_for(self, flag):
        """The counters of this definition of the flag, reset on a definition change. Caller locks."""
        counters = self._counters.get(flag.name)
        if counters is None or counters.definition is not flag.definition_token:
            counters = _Counters(flag.definition_token, flag.seed)
            self._counters[flag.name] = counters
        return counters

    # ---- the Python conveniences ----------------------------------------------------------------
    def inject(self, name, error=None):
        """Decorator: when `name` fires, sleep its delay, then raise `error` (default
        InjectedFault) if its mode is "fail"; otherwise call the function."""
        def decorate(function):
            def wrapper(*args, **kwargs):
                decision = self.decide(name)
                if decision[0]:
                    decision.sleep()
                    if decision[2] == "fail":
                        raise error if error is not None else InjectedFault(name, decision)
                return function(*args, **kwargs)
            wrapper.__name__ = getattr(function, "__name__", "wrapper")
            wrapper.__doc__ = getattr(function, "__doc__", None)
            wrapper.__wrapped__ = function
            return wrapper
        return decorate

    # ---- loading ---------------------------------------------------------------------------------
    def reload(self):
        """Reads the file now. Never raises: a bad file keeps the last good state and is reported."""
        with self._load_lock:
            try:
                data = files.read(self.path)
                if data is files.MISSING:
                    self._last_identity, self._last_bytes = None, None
                    self._publish(document.EMPTY, None)
                    return
                self._last_identity = files.identity(self.path)
                if data == self._last_bytes:
                    return
                self._last_bytes = data
                try:
                    self._publish(document.parse(data), None)
                except ControlFileError as error:
                    self._report(error.at(self.path))
            except ControlFileError as error:
                self._last_identity, self._last_bytes = files.identity(self.path), None
                self._report(error)
            except Exception as error:   # never into the service: report anything unforeseen
                self._report(ControlFileError("cannot be read (%r)" % error, self.path))

    def _report(self, error):
        self._error = error
        LOG.warning("chaos control file ignored: %s", error)
        if self.on_error:
            try:
                self.on_error(error)
            except Exception:
                LOG.exception("chaos_control on_error callback failed")

    def _publish(self, snapshot, error):
        old = self._snapshot
        self._error = error
        # A definition change is any change of the flag's JSON (3.1): a flag keeps the token
        # of its previous definition when its JSON is unchanged, else gets a new one.
        for name, flag in snapshot.flags.items():
            previous = old.flags.get(name)
            token = previous.definition_token if previous is not None and previous.definition == flag.definition else object()
            object.__setattr__(flag, "definition_token", token)
            if self._reader_seeded:
                object.__setattr__(flag, "plain", False)   # every flag draws from the reader's sequence
        # _flags before _plain: a call in between decides by the old or the new definition,
        # since the full path decides any flag.
        self._snapshot, self._flags = snapshot, dict(snapshot.flags)
        self._plain = {name: flag.fast for name, flag in snapshot.flags.items() if flag.plain}
        if self.on_change and (old.generation != snapshot.generation or old.flags.keys() != snapshot.flags.keys()
                               or any(old.flags[n].definition != f.definition for n, f in snapshot.flags.items()
                                      if n in old.flags)):
            try:
                self.on_change(old.generation, snapshot.generation)
            except Exception:
                LOG.exception("chaos_control on_change callback failed")

    # ---- following ---------------------------------------------------------------------------------
    def _follow(self):
        ticks = 0
        next_poll = time.monotonic() + self._poll_interval
        while not self._stopped.is_set():
            timeout = max(0.0, next_poll - time.monotonic())
            watch = self._watch
            descriptors = [self._wake_read] + ([watch.fd] if watch is not None and watch.watching else [])
            changed = False
            try:
                ready, _, _ = select.select(descriptors, [], [], timeout)
                changed = len(descriptors) > 1 and descriptors[1] in ready and watch.drain()
            except (OSError, ValueError):
                self._stopped.wait(timeout)
            if self._stopped.is_set():
                return
            if time.monotonic() >= next_poll:
                next_poll = time.monotonic() + self._poll_interval
                ticks += 1
                if self._watch is not None and self._watch.ensure_watching():
                    changed = True
                # Safety net: a stat each tick, a full read every 10th (equal-size in-place rewrites).
                if files.identity(self.path) != self._last_identity or ticks % 10 == 0:
                    changed = True
            if changed:
                self.reload()

    def stop(self):
        """Stops following changes; the state in force stays. Idempotent."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        os.write(self._wake_write, b"x")
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        os.close(self._wake_read)
        os.close(self._wake_write)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class FlagHandle:
    """`reader.flag("slow-db")`: ask per call, or use as a context manager that sleeps the
    delay and yields the decision (`with control.flag("slow-db") as d: ...`)."""

    __slots__ = ("reader", "name")

    def __init__(self, reader, name):
        self.reader, self.name = reader, name

    def fires(self):
        return self.reader.decide(self.name)[0]

    def decide(self):
        return self.reader.decide(self.name)

    @property
    def params(self):
        return self.reader.params(self.name)

    def __enter__(self):
        decision = self.reader.decide(self.name)
        decision.sleep()
        return decision

    def __exit__(self, *exc):
        return False
