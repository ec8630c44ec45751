"""A small fuzz run of plan files and card texts (the full run is `python bench/fuzz.py`): no tracebacks, no
stored value that differs from what its text says."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import fuzz  # noqa: E402 - bench/ is not a package


def test_mutated_plans_and_card_texts_are_refused_or_stored_as_written():
    outcomes, failures, _ = fuzz.run(plans=80, cards=1500, seed=7)
    assert outcomes["traceback"] == 0 and outcomes["wrong value"] == 0, failures[:5]
    assert outcomes["plan imported"] > 0 and outcomes["plan refused"] > 0 and outcomes["card value read"] > 0


def test_the_oracle_reads_numbers_independently():
    assert fuzz.oracle("6,500 partners", "en") == 6500 and fuzz.oracle("6\u00a0500,5", "fr") == 6500.5
    assert fuzz.oracle("1_000", "en") == 1 and fuzz.oracle("abc", "en") is None
