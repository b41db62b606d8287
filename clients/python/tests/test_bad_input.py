"""The issue's bad-input list: never raise into the caller, never fire by accident, keep
the last good state, report through logging and on_error."""
import os

from chaos_control import ControlReader
from tests.support import ControlFileTestCase

GOOD = {"slow": {"enabled": True, "latency_ms": 5}}


class BadInputTests(ControlFileTestCase):
    def reader(self, errors):
        return self.keep(ControlReader(self.path, follow=False, on_error=errors.append))

    def bad_inputs(self):
        nested = '{"version": 1, "generation": 2, "flags": {}, "x": ' + "[" * 50000 + "]" * 50000 + "}"
        return {
            "corrupt": lambda: self.write_bytes(b"\x00\xff{{{ not json"),
            "empty": lambda: self.write_bytes(b""),
            "truncated": lambda: self.write_bytes(b'{"version": 1, "generation": 2, "flags": {"slow": {"enab'),
            "oversized": lambda: self.write_bytes(b'{"version": 1, "generation": 2, "flags": {}}'.ljust(2 << 20)),
            "deeply nested": lambda: self.write_bytes(nested.encode()),
            "future version": lambda: self.write_bytes(b'{"version": 2, "generation": 2, "flags": {}}'),
            "directory": lambda: (os.unlink(self.path), os.mkdir(self.path)),
            "symlink loop": lambda: (os.unlink(self.path), os.symlink("control.json", self.path)),
            "invalid flag": lambda: self.write({"slow": {"enabled": True, "percent": 101}}, generation=2),
            "unreadable": lambda: os.chmod(self.path, 0),
        }

    def test_each_bad_input_keeps_the_last_good_state_and_reports_it(self):
        for label, make_bad in self.bad_inputs().items():
            with self.subTest(label):
                self.tearDown()
                self.setUp()
                self.write(GOOD)
                errors = []
                reader = self.reader(errors)
                self.assertTrue(reader.fires("slow"))
                make_bad()
                if label == "unreadable" and os.geteuid() == 0:
                    continue   # root reads a mode-0 file; nothing to test as root
                with self.assertLogs("chaos_control", "WARNING") as logged:
                    reader.reload()
                self.assertEqual(reader.generation, 1, label)
                self.assertTrue(reader.fires("slow"), "last good state stays: " + label)
                self.assertEqual(reader.decide("slow").delay_ns, 5_000_000)
                self.assertEqual(reader.fire_delay_ns("slow"), 5_000_000, "fast path: " + label)
                self.assertEqual(len(errors), 1, label)
                self.assertIn(self.path, str(errors[0]))
                self.assertIn(self.path, logged.output[0])
                self.assertIs(reader.error, errors[0])

    def test_bad_input_before_any_good_state_fires_nothing(self):
        for label, make_bad in self.bad_inputs().items():
            with self.subTest(label):
                self.tearDown()
                self.setUp()
                self.write({"slow": {"enabled": True, "percent": 100, "extra": [1]}}, generation=0)
                make_bad()
                if label == "unreadable" and os.geteuid() == 0:
                    continue
                errors = []
                with self.assertLogs("chaos_control", "WARNING"):
                    reader = self.reader(errors)
                self.assertFalse(reader.fires("slow"), label)
                self.assertIsNone(reader.fire_delay_ns("slow"), "fast path: " + label)
                self.assertEqual(reader.generation, 0)
                self.assertEqual(len(errors), 1, label)

    def test_a_file_that_disappears_means_no_faults_and_no_error(self):
        self.write(GOOD)
        reader = self.reader([])
        os.unlink(self.path)
        reader.reload()
        self.assertFalse(reader.fires("slow"))
        self.assertIsNone(reader.error)

    def test_while_followed_a_bad_file_then_a_vanished_one_then_a_good_one(self):
        """The watcher thread itself meets the bad input (no reload() here): it reports it,
        keeps the last good state, clears it when the file disappears, and keeps following."""
        self.write(GOOD)
        errors = []
        with self.assertLogs("chaos_control", "WARNING") as logged:
            reader = self.keep(ControlReader(self.path, poll_interval=3600, on_error=errors.append))
            nested = '{"version": 1, "generation": 2, "flags": {}, "x": ' + "[" * 50000 + "]" * 50000 + "}"
            self.write_bytes(nested.encode())
            self.wait_for(lambda: len(errors) == 1)
        self.assertIn(self.path, logged.output[0])
        self.assertEqual((reader.generation, reader.fire_delay_ns("slow")), (1, 5_000_000))
        os.unlink(self.path)
        self.wait_for(lambda: reader.error is None)
        self.assertEqual((reader.generation, reader.fires("slow"), reader.fire_delay_ns("slow")), (0, False, None))
        self.write(GOOD, generation=3)
        self.wait_for(lambda: reader.generation == 3)
        self.assertTrue(reader.fires("slow"))
        self.assertEqual(len(errors), 1)

    def test_error_names_flag_field_and_value(self):
        self.write({"slow": {"enabled": True, "percent": 150}})
        errors = []
        with self.assertLogs("chaos_control", "WARNING"):
            self.reader(errors)
        self.assertEqual(str(errors[0]), '%s: flag "slow": field "percent": 150 must be a number 0-100' % self.path)

    def test_a_failing_error_callback_does_not_reach_the_caller(self):
        self.write_bytes(b"nope")

        def explode(error):
            raise RuntimeError("callback bug")
        with self.assertLogs("chaos_control", "WARNING"):
            reader = self.keep(ControlReader(self.path, follow=False, on_error=explode))
        self.assertFalse(reader.fires("slow"))
