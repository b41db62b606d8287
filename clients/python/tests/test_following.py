"""Following changes for real: inotify on the directory, rename-over, the ConfigMap ..data
swap, a directory created later, and the polling fallback."""
import json
import os

from chaos_control import ControlReader
from tests.support import ControlFileTestCase

ON = {"a": {"enabled": True}}


class FollowingTests(ControlFileTestCase):
    def test_rename_over_is_seen_through_inotify(self):
        reader = self.keep(ControlReader(self.path, poll_interval=3600))
        self.assertIsNotNone(reader._watch.fd, "inotify available on Linux")
        self.write(ON, generation=1)
        self.wait_for(lambda: reader.fires("a"))
        self.write({}, generation=2)
        self.wait_for(lambda: reader.generation == 2)
        self.assertFalse(reader.fires("a"))

    def test_configmap_data_swap_is_seen(self):
        for number, flags in enumerate(({"a": {"enabled": True}}, {"b": {"enabled": True}}), 1):
            version = os.path.join(self.root, "..v%d" % number)
            os.mkdir(version)
            with open(os.path.join(version, "control.json"), "w") as out:
                json.dump({"version": 1, "generation": number, "flags": flags}, out)
            os.symlink("..v%d" % number, os.path.join(self.root, "..data_tmp"))
            os.rename(os.path.join(self.root, "..data_tmp"), os.path.join(self.root, "..data"))
            if number == 1:
                os.symlink("..data/control.json", self.path)
                reader = self.keep(ControlReader(self.path, poll_interval=3600))
                self.assertTrue(reader.fires("a"))
        self.wait_for(lambda: reader.generation == 2)
        self.assertTrue(reader.fires("b"))
        self.assertFalse(reader.fires("a"))

    def test_directory_created_later_is_watched_once_it_exists(self):
        path = os.path.join(self.root, "later", "control.json")
        reader = self.keep(ControlReader(path, poll_interval=0.02))
        os.mkdir(os.path.dirname(path))
        self.write(ON, path=path)
        self.wait_for(lambda: reader.fires("a"))

    def test_polling_alone_follows_changes(self):
        reader = self.keep(ControlReader(self.path, poll_interval=0.02, watch=False))
        self.write(ON)
        self.wait_for(lambda: reader.fires("a"))
        os.unlink(self.path)
        self.wait_for(lambda: not reader.fires("a"))

    def test_on_change_reports_generations(self):
        changes = []
        reader = self.keep(ControlReader(self.path, poll_interval=3600, on_change=lambda old, new: changes.append((old, new))))
        self.write(ON, generation=4)
        self.wait_for(lambda: changes == [(0, 4)])
        reader.stop()
        reader.stop()   # idempotent
