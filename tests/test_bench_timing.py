"""The benchmarks' ratios: the median of the ratios of each round of interleaved runs."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from _timing import Medians, Target


def test_a_ratio_pairs_the_cases_of_each_round():
    # the machine slows down in the middle rounds: each round's ratio is 1.1, the medians' 1.0
    measured = Medians({"a": [1.1, 2.2, 2.2, 1.1, 1.1], "b": [1.0, 2.0, 2.0, 1.0, 1.1]})
    assert measured == {"a": 1.1, "b": 1.1}
    assert Target("a / b", "a", "b", 1.05).row(measured) == ("a / b", "1.10×", "≤ 1.05×", False)


def test_cases_from_different_runs_fall_back_to_the_ratio_of_their_medians():
    assert Target("a / b", "a", "b").ratio({"a": 3.0, "b": 2.0}) == 1.5
    assert Target("a / b", "a", "b").ratio(Medians({"a": [3.0], "b": [1.0, 2.0, 3.0]})) == 1.5
