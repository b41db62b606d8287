"""Reader of the chaosctl control file (docs/control-file.md): fault flags decided in-process.

    control = chaos_control.ControlReader("/run/chaos/control.json")
    if control.fires("drop-s3"): ...
"""
from .decision import NONE, Decision
from .errors import ControlFileError
from .reader import ControlReader, FlagHandle, InjectedFault

__all__ = ["ControlReader", "FlagHandle", "Decision", "NONE", "ControlFileError", "InjectedFault"]
__version__ = "1.0.0"
