"""Reading the control file with the spec's limits, telling "missing" from "unreadable"."""
import errno
import os
import stat

from .document import MAX_FILE_BYTES
from .errors import ControlFileError

MISSING = None


def read(path, limit=MAX_FILE_BYTES):
    """The file's bytes, or MISSING when it or a directory on its path does not exist.

    Follows symlinks afresh (a ConfigMap's ..data swap). Raises ControlFileError for
    anything else: unreadable, not a regular file, larger than the limit (checked with
    fstat before reading, and again while reading).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return MISSING
        raise ControlFileError("cannot open (%s)" % os.strerror(error.errno), path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ControlFileError("is not a regular file", path)
        if info.st_size > limit:
            raise ControlFileError("the control file is %d bytes; the limit is %d bytes (1 MiB)"
                                   % (info.st_size, limit), path)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(65536, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ControlFileError("the control file grew past %d bytes while being read" % limit, path)
        return b"".join(chunks)
    except OSError as error:
        raise ControlFileError("cannot read (%s)" % os.strerror(error.errno), path) from None
    finally:
        os.close(fd)


def identity(path):
    """What stat(2) says (following symlinks), to notice a change without reading; None if missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
