"""Computation: every indicator for every unit, level and period at once (vectorised).

Pure: frames in, frames out. No file reading or writing happens here; the collection stage
(:mod:`pedprof.io`) builds the :class:`~pedprof.model.data.Dataset` it takes.
"""

from pedprof.engine._api import PROFILE_ATTR, compute
from pedprof.engine._core import LEVELS, RESULT_COLUMNS, compute_indicators

__all__ = ["LEVELS", "PROFILE_ATTR", "RESULT_COLUMNS", "compute", "compute_indicators"]
