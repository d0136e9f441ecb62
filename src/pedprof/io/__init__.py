"""Collecting the data: forms for schools, reading, validation, consolidation.

* :func:`write_form` — a blank (or pre-filled) Excel form generated from a profile's
  declared sources;
* :func:`read_submissions` — read filled forms, CSV, Parquet and DataFrames, validate
  every row, and consolidate the accepted ones into a :class:`pedprof.Dataset`, with
  every rejected row accounted for (:class:`CheckResult`);
* :func:`write_error_report` / :func:`write_error_csv` — the report sent back to schools;
* :func:`json_schema` — the tables as JSON Schema for platforms;
* :func:`write_sample` — a profile's sample written out as the files units would submit.

Example::

    import pedprof
    from pedprof.io import read_submissions

    result = read_submissions("karabash", ["forms/"])
    print(result.summary())
    results = pedprof.compute("karabash", result.dataset)
"""

from pedprof.io._safety import Limits, Refused
from pedprof.io._tables import MUNICIPALITIES, REGIONS, FormKind, fingerprint, sheet_names
from pedprof.io.forms import build_form, default_period, write_form
from pedprof.io.register import STATUS_LABELS, dataset_submissions, submission_register
from pedprof.io.report import write_error_csv, write_error_report
from pedprof.io.sample import write_sample
from pedprof.io.schema import json_schema, table_schema
from pedprof.io.validate import ERROR_COLUMNS, CheckResult, read_submissions

__all__ = [
    "ERROR_COLUMNS",
    "MUNICIPALITIES",
    "REGIONS",
    "STATUS_LABELS",
    "CheckResult",
    "FormKind",
    "Limits",
    "Refused",
    "build_form",
    "dataset_submissions",
    "default_period",
    "fingerprint",
    "json_schema",
    "read_submissions",
    "sheet_names",
    "submission_register",
    "table_schema",
    "write_error_csv",
    "write_error_report",
    "write_form",
    "write_sample",
]
