"""The error a reader reports when the file on disk is not put in force."""


class ControlFileError(Exception):
    """Names the file, and where it applies the flag, field and value, as the spec asks."""

    def __init__(self, reason, path=None, flag=None, field=None, value=None):
        self.reason, self.path, self.flag, self.field, self.value = reason, path, flag, field, value
        super().__init__(str(self))

    def at(self, path):
        return ControlFileError(self.reason, path, self.flag, self.field, self.value)

    def __str__(self):
        parts = []
        if self.path:
            parts.append(self.path)
        if self.flag is not None:
            parts.append('flag "%s"' % self.flag)
        if self.field is not None:
            parts.append('field "%s"' % self.field)
        text = ": ".join(parts)
        detail = self.reason if self.value is None else "%s %s" % (self.value, self.reason)
        return "%s: %s" % (text, detail) if text else detail
