"""A directory watch through Linux inotify, called via ctypes (standard library only)."""
import ctypes
import ctypes.util
import os
import struct

IN_ATTRIB, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO = 0x4, 0x8, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF, IN_IGNORED = 0x100, 0x200, 0x400, 0x800, 0x8000
WATCH_MASK = (IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
              | IN_DELETE_SELF | IN_MOVE_SELF)
_IN_NONBLOCK, _IN_CLOEXEC = os.O_NONBLOCK, 0o2000000
_EVENT = struct.Struct("iIII")


class DirectoryWatch:
    """Watches the directory of the control file. `fd` is None when inotify is unavailable;
    the reader then relies on polling alone."""

    def __init__(self, control_file):
        self.directory = os.path.dirname(os.path.abspath(control_file))
        self.name = os.path.basename(control_file)
        self.fd = None
        self._wd = -1
        try:
            self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            fd = self._libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        except (OSError, AttributeError):
            return
        if fd >= 0:
            self.fd = fd
            self.ensure_watching()

    @property
    def watching(self):
        return self._wd >= 0

    def ensure_watching(self):
        """Adds the watch if it is missing (directory created or re-created); True if added."""
        if self.fd is None or self._wd >= 0:
            return False
        self._wd = self._libc.inotify_add_watch(self.fd, os.fsencode(self.directory), WATCH_MASK)
        return self._wd >= 0

    def drain(self):
        """Reads pending events; True if any could concern the control file."""
        relevant = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return relevant
            except OSError:
                return True
            if not data:
                return relevant
            offset = 0
            while offset + _EVENT.size <= len(data):
                _, mask, _, length = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size:offset + _EVENT.size + length].rstrip(b"\0").decode("utf-8", "replace")
                offset += _EVENT.size + length
                if mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):
                    self._wd = -1   # the directory went away: re-added on a later poll
                    relevant = True
                elif not (name.startswith("." + self.name + ".tmp.") or name == "." + self.name + ".lock"):
                    relevant = True

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
