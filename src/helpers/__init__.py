"""Helpers for the notebooks on a county's poverty-alleviation campaign as reported.

Four layers, each a subpackage, under three top-level modules:

- ``paths`` owns every location; ``notebook`` is the first cells of every notebook;
  ``params`` holds the parameters every notebook accepts and their checks;
- ``data``: ``units`` (printed values, base units, money scales), ``codebook`` (the
  indicator ids the project understands), ``metadata`` (which county a claims file
  describes, and its sources), ``claims`` (loading and validating a claims table),
  ``quantity``, ``extract`` (numeric mentions in Chinese text), ``coverage``;
- ``display``: ``formatting`` and ``plotting``;
- ``analysis``: one module per notebook (``overview``, ``closing_gaps``, ``teaching``,
  ``concert`` with ``text``), the audit (``audit``, ``audit_views``) and ``compare``;
- ``batch``: ``pipeline`` (the pipeline file), ``execution`` (papermill),
  ``runfolder`` (the layout of ``outputs/<run>/``), ``runner``, ``report``,
  ``verify``, ``readme`` and ``cli``; ``verify`` imports ``runner``, never the
  other way round.

Importing the package has no side effects: nothing is read, written or
configured until a function is called.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
