"""Command-line entry point (placeholder until the batch runner lands)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``leiyang-poverty`` console script."""
    print("nothing to run yet", file=sys.stderr)
    return 0
