"""The worker example (examples/worker.py) run as a real process against control files."""
import json
import os
import subprocess
import sys

from tests.support import ControlFileTestCase

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "worker.py")


class WorkerExampleTests(ControlFileTestCase):
    def run_worker(self, flags, jobs=20):
        self.write(flags)
        run = subprocess.run([sys.executable, WORKER, self.path, str(jobs)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = [json.loads(line) for line in run.stdout.splitlines()]
        return lines[:-1], lines[-1]["summary"]

    def test_no_flags_writes_every_job(self):
        _, summary = self.run_worker({})
        self.assertEqual(summary, {"failed": 0, "fallback": 0, "dropped": 0, "rate-limited": 0, "written": 20})

    def test_attribution_fails_or_falls_back_by_mode(self):
        _, summary = self.run_worker({"fail-attribution": {"enabled": True, "mode": "fail"}})
        self.assertEqual(summary["failed"], 20)
        _, summary = self.run_worker({"fail-attribution": {"enabled": True, "mode": "fallback"}})
        self.assertEqual((summary["failed"], summary["fallback"], summary["written"]), (0, 20, 20))

    def test_drop_s3_drops_its_seeded_share(self):
        # Seed 42 at percent 50: the spec's sequence decides which of the 20 writes drop.
        jobs, summary = self.run_worker({"drop-s3": {"enabled": True, "percent": 50, "seed": 42}})
        dropped = [job["job"] for job in jobs if job["s3"] == "dropped"]
        mask, golden = (1 << 64) - 1, 0x9E3779B97F4A7C15

        def mix(z):
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
            return z ^ (z >> 31)
        expected = [n - 1 for n in range(1, 21) if mix((42 + n * golden) & mask) < 1 << 63]
        self.assertEqual(dropped, expected)
        self.assertEqual(summary["dropped"] + summary["written"], 20)

    def test_rate_limit_spike_soft_lowers_the_limit_hard_rejects_all(self):
        _, summary = self.run_worker({"rate-limit-spike": {"enabled": True, "severity": "soft", "params": {"rps": 5}}})
        self.assertEqual((summary["written"], summary["rate-limited"]), (5, 15))
        _, summary = self.run_worker({"rate-limit-spike": {"enabled": True, "severity": "hard"}})
        self.assertEqual(summary["rate-limited"], 20)

    def test_slow_sae_delays_the_feature_call(self):
        jobs, _ = self.run_worker({"slow-sae": {"enabled": True, "latency_ms": 20, "jitter_ms": 5, "seed": 1}}, jobs=5)
        for job in jobs:
            self.assertTrue(15 <= job["sae_delay_ms"] <= 25, job)
