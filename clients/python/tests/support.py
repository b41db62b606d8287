"""Shared helpers: a private directory per test and rename-over writes like chaosctl's."""
import json
import os
import shutil
import tempfile
import time
import unittest


class ControlFileTestCase(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="chaos-control-py-")
        self.path = os.path.join(self.root, "control.json")
        self.readers = []

    def tearDown(self):
        for reader in self.readers:
            reader.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def keep(self, reader):
        self.readers.append(reader)
        return reader

    def write(self, flags, generation=1, path=None):
        self.write_bytes(json.dumps({"version": 1, "generation": generation, "flags": flags}).encode(), path)

    def write_bytes(self, data, path=None):
        path = path or self.path
        temp = os.path.join(os.path.dirname(path), ".control.json.tmp.%d" % os.getpid())
        with open(temp, "wb") as out:
            out.write(data)
        os.rename(temp, path)

    def wait_for(self, condition, seconds=5.0):
        """Polls `condition` until true; fails after `seconds` (a generous bound, not a timing assert)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.002)
        self.fail("condition not met within %.1f s" % seconds)
