"""Helpers for the notebooks on a county's poverty-alleviation campaign as reported.

One module per concern.  Data: ``paths`` (where everything lives), ``units``
(printed values, base units, money scales), ``codebook`` (the indicator ids the
project understands), ``metadata`` (which county a claims file describes, and its
sources), ``claims`` (loading and validating a claims table), ``extract``
(numeric mentions in Chinese text).  Presentation: ``formatting``, ``quantity``,
``plotting``, ``notebook`` (the first cells of every notebook).  One analysis
module per notebook, and the audit.  The batch machinery: ``pipeline`` (the
pipeline file), ``execution`` (papermill), ``runfolder`` (the layout of
``outputs/<run>/``), ``runner``, ``report``, ``verify``, ``compare``, ``readme``
and ``cli``; ``verify`` imports ``runner``, never the other way round.
Importing the package has no side effects: nothing is read, written or
configured until a function is called.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
