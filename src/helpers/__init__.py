"""Helpers for the Leiyang poverty-alleviation notebooks.

One module per concern: ``paths`` (where everything lives), ``units`` (printed
values, base units, money scales), ``claims`` (loading and validating the claims
table), ``extract`` (finding numeric mentions in Chinese text), ``plotting``
(theme, CJK font, deterministic figure files).  Importing the package has no
side effects: nothing is read, written or configured until a function is called.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
