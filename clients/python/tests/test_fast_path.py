"""fire_delay_ns(), mode() and severity(): the fast path, beyond the vectors (which the
runner's --fast mode checks): unseeded rates and ranges, and the full path behind it."""
from chaos_control import ControlReader
from tests.support import ControlFileTestCase


class FastPathTests(ControlFileTestCase):
    def test_absent_disabled_and_zero_percent_give_none(self):
        self.write({"off": {"enabled": False, "latency_ms": 5}, "zero": {"enabled": True, "percent": 0}})
        reader = self.keep(ControlReader(self.path, follow=False))
        for name in ("missing", "off", "zero"):
            self.assertEqual({reader.fire_delay_ns(name) for _ in range(500)}, {None}, name)
        self.assertIsNone(reader.mode("missing"))

    def test_firing_without_latency_is_zero_not_none(self):
        self.write({"drop": {"enabled": True, "mode": "fail", "severity": "hard"}})
        reader = self.keep(ControlReader(self.path, follow=False))
        self.assertEqual(reader.fire_delay_ns("drop"), 0)
        self.assertEqual((reader.mode("drop"), reader.severity("drop")), ("fail", "hard"))

    def test_unseeded_rate_range_and_clamp(self):
        self.write({"half": {"enabled": True, "percent": 50, "latency_ms": 5, "jitter_ms": 2},
                    "clamp": {"enabled": True, "latency_ms": 1, "jitter_ms": 3}})
        reader = self.keep(ControlReader(self.path, follow=False))
        delays = [reader.fire_delay_ns("half") for _ in range(20000)]
        fired = [d for d in delays if d is not None]
        self.assertTrue(9000 < len(fired) < 11000, len(fired))   # 50 % of 20000, 14 sigma wide
        self.assertTrue(all(isinstance(d, int) and 3_000_000 <= d <= 7_000_000 for d in fired))
        self.assertTrue(min(fired) < 3_100_000 and max(fired) > 6_900_000, (min(fired), max(fired)))
        clamped = [reader.fire_delay_ns("clamp") for _ in range(3000)]
        self.assertTrue(all(d is not None and d >= 0 for d in clamped))
        self.assertGreater(clamped.count(0), 700)   # [-2, 4] ms: a third clamps to 0 (~1000)

    def test_counted_and_seeded_flags_take_the_full_path(self):
        self.write({"once": {"enabled": True, "max_hits": 2, "latency_ms": 3},
                    "seeded": {"enabled": True, "percent": 50, "latency_ms": 5, "jitter_ms": 2, "seed": 42}})
        reader = self.keep(ControlReader(self.path, follow=False))
        self.assertEqual([reader.fire_delay_ns("once") for _ in range(4)], [3_000_000, 3_000_000, None, None])
        other = self.keep(ControlReader(self.path, follow=False))
        fast = [reader.fire_delay_ns("seeded") for _ in range(50)]
        whole = [other.decide("seeded") for _ in range(50)]
        self.assertEqual(fast, [d.delay_ns if d.fires else None for d in whole])   # one sequence, both paths
        self.assertIn(None, fast)
        self.assertTrue(any(d is not None for d in fast))

    def test_a_rewrite_moves_the_fast_path_to_the_new_definition(self):
        self.write({"f": {"enabled": True, "latency_ms": 1}})
        reader = self.keep(ControlReader(self.path, follow=False))
        self.assertEqual(reader.fire_delay_ns("f"), 1_000_000)
        self.write({"f": {"enabled": True, "latency_ms": 1, "max_hits": 1}}, generation=2)
        reader.reload()
        self.assertEqual([reader.fire_delay_ns("f") for _ in range(2)], [1_000_000, None])
        self.write({"f": {"enabled": False}}, generation=3)
        reader.reload()
        self.assertIsNone(reader.fire_delay_ns("f"))
