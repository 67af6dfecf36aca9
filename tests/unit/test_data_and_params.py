"""Bad data files and bad parameters get clear errors (synthetic files only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import data
from helpers.evaluate import batches, classification_rate_report, parse_scores


def _frame(rows: int = data.EXPECTED_ROWS) -> pd.DataFrame:
    """A synthetic frame with bank_clean.csv's layout (random values, not the data set)."""
    rng = np.random.default_rng(0)
    columns = data.expected_columns()
    frame = pd.DataFrame(rng.integers(0, 2, size=(rows, len(columns))), columns=columns)
    frame[data.NUMERIC] = rng.integers(0, 100, size=(rows, len(data.NUMERIC)))
    frame["y_no"] = 1 - frame["y_yes"]
    return frame


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "bank_clean.csv"
    _frame().to_csv(path)
    return path


def test_a_file_of_the_right_layout_loads(good):
    assert data.load(good).shape == (data.EXPECTED_ROWS, 61)


@pytest.mark.parametrize("damage, words", [
    (lambda text: "", "is empty"),
    (lambda text: "<!DOCTYPE html><html><body>Access Denied</body></html>", "HTML or XML page"),
    (lambda text: "\n".join(text.splitlines()[:1000]), "has 999 rows"),
    (lambda text: text.replace(",age,", ",Age,", 1), "missing ['age']"),
    (lambda text: "\n".join(line + ",0" for line in text.splitlines()), "unexpected"),
])
def test_damaged_files_are_refused(good, tmp_path, damage, words):
    path = tmp_path / "bad.csv"
    path.write_text(damage(good.read_text()))
    with pytest.raises(data.DataError, match=words.replace("[", r"\[").replace("]", r"\]")):
        data.load(path)


def test_gaps_non_numbers_and_non_binary_flags_are_named(tmp_path):
    frame = _frame()
    for change, words in ((lambda f: f.astype({"campaign": float}).assign(
                               campaign=lambda g: g["campaign"].where(g.index != 5)),
                           "missing values in ['campaign']"),
                          (lambda f: f.astype({"age": object}).assign(
                              age=lambda g: g["age"].where(g.index != 3, "old")),
                           "non-numeric values in ['age']"),
                          (lambda f: f.assign(loan_yes=lambda g: g["loan_yes"] * 2),
                           "values other than 0 and 1 in ['loan_yes']")):
        path = tmp_path / "bad.csv"
        change(frame.copy()).to_csv(path)
        with pytest.raises(data.DataError, match=words.replace("[", r"\[").replace("]", r"\]")):
            data.load(path)


def test_a_header_row_repeated_inside_the_data_is_named(good, tmp_path):
    lines = good.read_text().splitlines()
    path = tmp_path / "twice.csv"
    path.write_text("\n".join([lines[0], lines[0], *lines[2:]]))
    with pytest.raises(data.DataError, match="repeats its header row"):
        data.load(path)


def test_the_split_is_the_tutorials(good):
    train, test = data.split(data.load(good))
    assert (len(train), len(test)) == (28831, 12357)
    assert not set(train.index) & set(test.index)
    with pytest.raises(ValueError):
        data.split(_frame(10), train_fraction=1.0)


def test_label_first_puts_y_yes_first_and_drops_the_pair():
    frame = data.label_first(_frame(5))
    assert frame.columns[0] == "y_yes" and "y_no" not in frame.columns[1:]
    assert frame.shape[1] == 60


def test_a_missing_local_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(data.DataError, match="BANK_CLEAN_CSV"):
        data.locate(tmp_path / "nothing.csv")


def test_a_failed_download_leaves_no_partial_file(tmp_path):
    with pytest.raises(data.DataError, match="could not download"):
        data.download("http://127.0.0.1:9/bank_clean.csv", tmp_path / "bank_clean.csv",
                      timeout=2)
    assert list(tmp_path.iterdir()) == []


def test_scores_in_every_answer_format():
    assert parse_scores(b"0.1,0.9").tolist() == [0.1, 0.9]
    assert parse_scores(b"0.1\n0.9\n").tolist() == [0.1, 0.9]
    assert parse_scores(b'{"predictions": [{"score": 0.1}, {"score": 0.9}]}').tolist() == [
        0.1, 0.9]
    with pytest.raises(ValueError, match="no scores"):
        parse_scores(b"")


def test_batches_keep_every_request_under_the_limit():
    from sagemaker.serializers import CSVSerializer

    features = np.random.default_rng(1).random((3000, 20))
    blocks = list(batches(features, limit=100_000))
    assert len(blocks) > 1 and sum(len(b) for b in blocks) == 3000
    assert all(len(CSVSerializer().serialize(b).encode()) <= 100_000 for b in blocks)
    assert np.array_equal(np.concatenate(blocks), features)


def test_the_tutorials_printout():
    report = classification_rate_report({"tn": 10769, "fp": 167, "fn": 1133, "tp": 288})
    assert "Overall Classification Rate: 89.5%" in report
    assert "No Purchase    90% (10769)    37% (167)" in report
    assert "Purchase        10% (1133)     63% (288)" in report
