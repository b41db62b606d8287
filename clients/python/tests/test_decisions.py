"""Decisions beyond the vectors: the millisecond instant, the Python conveniences, immutability."""
import threading

from chaos_control import ControlReader, InjectedFault
from chaos_control.rfc3339 import parse_ms
from tests.support import ControlFileTestCase


class DecisionTests(ControlFileTestCase):
    def test_expiry_is_decided_at_the_millisecond(self):
        self.write({"e": {"enabled": True, "expires_at": "2026-11-22T17:00:00.035Z"}})
        now = [parse_ms("2026-11-22T17:00:00.034Z")]
        reader = self.keep(ControlReader(self.path, follow=False, clock_ns=lambda: now[0] * 1_000_000 + 999_999))
        self.assertTrue(reader.fires("e"), ".034999 is before .035")
        now[0] += 1
        self.assertFalse(reader.fires("e"))

    def test_rfc3339_digits_and_offsets(self):
        self.assertEqual(parse_ms("1970-01-01T00:00:00.035Z"), 35)
        self.assertEqual(parse_ms("1970-01-01T01:00:00.0359+01:00"), 35)
        self.assertEqual(parse_ms("1970-01-01T00:00:00.5Z"), 500)
        for bad in ("1970-01-01T00:00:00", "1970-02-30T00:00:00Z", "1970-01-01T24:00:00Z", "1970-01-01T00:00:00.Z",
                    "１９７０-01-01T00:00:00Z"):
            self.assertIsNone(parse_ms(bad), bad)

    def test_decorator_sleeps_then_raises_in_fail_mode(self):
        self.write({"db": {"enabled": True, "mode": "fail", "latency_ms": 1}, "ok": {"enabled": False}})
        reader = self.keep(ControlReader(self.path, follow=False))

        @reader.inject("db")
        def query():
            return "rows"

        @reader.inject("ok")
        def other():
            return "fine"
        with self.assertRaises(InjectedFault):
            query()
        self.assertEqual(other(), "fine")
        self.assertEqual(query.__name__, "query")

    def test_context_manager_yields_the_decision(self):
        self.write({"slow": {"enabled": True, "mode": "fallback", "severity": "soft"}})
        reader = self.keep(ControlReader(self.path, follow=False))
        with reader.flag("slow") as decision:
            self.assertEqual((decision.fires, decision.mode, decision.severity), (True, "fallback", "soft"))

    def test_snapshot_is_immutable(self):
        self.write({"a": {"enabled": True, "params": {"k": 1}}})
        reader = self.keep(ControlReader(self.path, follow=False))
        snapshot = reader.snapshot
        with self.assertRaises(TypeError):
            snapshot.flags["b"] = None
        with self.assertRaises(AttributeError):
            snapshot.flags["a"].enabled = False
        with self.assertRaises(TypeError):
            snapshot.flags["a"].params["k"] = 2
        self.write({}, generation=2)
        reader.reload()
        self.assertIn("a", snapshot.flags, "an old snapshot does not change under its holder")

    def test_max_hits_is_exact_across_threads(self):
        self.write({"m": {"enabled": True, "max_hits": 1000}})
        reader = self.keep(ControlReader(self.path, follow=False))
        fired = []

        def hammer():
            fired.append(sum(reader.fires("m") for _ in range(600)))
        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sum(fired), 1000)

    def test_unseeded_percent_is_near_its_rate(self):
        self.write({"p": {"enabled": True, "percent": 30}})
        reader = self.keep(ControlReader(self.path, follow=False))
        count = sum(reader.fires("p") for _ in range(20000))
        self.assertTrue(5400 < count < 6600, count)   # 30 % of 20000, more than 9 sigma wide

    def test_unseeded_jitter_covers_its_range_and_clamps_at_zero(self):
        self.write({"j": {"enabled": True, "latency_ms": 5, "jitter_ms": 2},
                    "c": {"enabled": True, "latency_ms": 1, "jitter_ms": 3, "mode": "fail", "severity": "hard"}})
        reader = self.keep(ControlReader(self.path, follow=False))
        delays = [reader.decide("j").delay_ns for _ in range(4000)]
        self.assertTrue(all(3_000_000 <= d <= 7_000_000 for d in delays))
        self.assertTrue(min(delays) < 3_100_000 and max(delays) > 6_900_000, (min(delays), max(delays)))
        self.assertTrue(all(isinstance(d, int) for d in delays))
        clamped = [reader.decide("c") for _ in range(2000)]
        self.assertTrue(all(d.fires and d.delay_ns >= 0 and d.mode == "fail" and d.severity == "hard" for d in clamped))
        self.assertGreater(sum(d.delay_ns == 0 for d in clamped), 500)   # [-2, 4] ms: a third clamps to 0 (~667)

    def test_reader_seed_takes_the_full_path_for_every_flag(self):
        self.write({"p": {"enabled": True, "percent": 50}})
        first = [ControlReader(self.path, follow=False, seed=7) for _ in range(2)]
        for reader in first:
            self.keep(reader)
        runs = [[reader.fires("p") for _ in range(200)] for reader in first]
        self.assertEqual(runs[0], runs[1])   # the reader's sequence, not random.random()
