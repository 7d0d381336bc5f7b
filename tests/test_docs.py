"""The samples in docs/ are what the tool prints today."""

import pathlib
import sys

import pytest

DOCS = pathlib.Path(__file__).parent.parent / "docs"
sys.path.insert(0, str(DOCS))

from make_samples import SAMPLES, sample_text  # noqa: E402


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_current(name):
    assert (DOCS / "samples" / name).read_text(encoding="utf-8") == sample_text(SAMPLES[name]), \
        "run: python docs/make_samples.py"
