"""The notebooks' common parameters (helpers.params), checked by the command line before
any kernel starts, without pandas: a run with nothing to rerun does not import it."""

import subprocess
import sys

import pytest

from helpers import notebook as nbh
from helpers import params


def test_the_notebook_module_offers_the_same_checks():
    assert nbh.check_parameters is params.check_parameters
    assert nbh.ParameterError is params.ParameterError and nbh.DEFAULTS is params.DEFAULTS


def test_checking_a_runs_values_imports_no_pandas():
    code = ("import sys\n"
            "from helpers.batch.cli import check_values\n"
            "from helpers.batch.pipeline import load_pipeline\n"
            "check_values([('default', {'lang': 'zh'})], load_pipeline())\n"
            "assert 'pandas' not in sys.modules, 'pandas imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_bad_value_is_named():
    with pytest.raises(params.ParameterError, match="lang must be 'en' or 'zh', got 'fr'"):
        params.check_parameters("fr", "auto", None, "outputs", ["svg"])
