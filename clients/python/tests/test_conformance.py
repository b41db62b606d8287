"""Every vector of docs/conformance/ through this reader, compared by scripts/conformance-check.py."""
import glob
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


class ConformanceTests(unittest.TestCase):
    def test_every_vector_passes(self):
        vectors = sorted(glob.glob(os.path.join(REPO, "docs", "conformance", "*.json")))
        self.assertGreaterEqual(len(vectors), 40, "the conformance vectors must be present")
        env = dict(os.environ, PYTHONPATH=os.path.join(HERE, ".."))
        run = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "conformance-check.py"), "--name", "python",
                              "--", sys.executable, "-m", "chaos_control.conformance"] + vectors,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.assertEqual(run.returncode, 0, run.stdout)
        self.assertIn("%d of %d vectors passed" % (len(vectors), len(vectors)), run.stdout)
