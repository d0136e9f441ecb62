"""Sphinx configuration. Offline: no intersphinx, no remote resources."""

import sys
from importlib.metadata import version as _version
from pathlib import Path

# The build writes nothing into the source tree: not even the extension's bytecode.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "pedprof"
author = "pedprof developers"
copyright = "2026, pedprof developers"
release = _version("pedprof")
version = release
language = "ru"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx_click",
    "pedprof_docs",
]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "pedprof"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = False
napoleon_numpy_docstring = False
suppress_warnings = ["myst.header"]
nitpicky = False
