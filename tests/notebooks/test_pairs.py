"""The committed notebooks: each .ipynb in step with its .py, fully executed, with a
``parameters`` cell whose defaults are the offline default parameters."""

from __future__ import annotations

import ast

import jupytext
import nbformat
import pytest
import yaml

from helpers.params import ROOT, SCHEMA
from helpers.runstate import STEPS

NOTEBOOKS = ROOT / "notebooks"


def _cells(notebook):
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", [])))
            for c in notebook.cells if "injected-parameters" not in c.metadata.get("tags", [])]


def test_there_are_eight_numbered_pairs():
    assert sorted(p.stem for p in NOTEBOOKS.glob("0*.ipynb")) == list(STEPS)
    assert sorted(p.stem for p in NOTEBOOKS.glob("0*.py")) == list(STEPS)


@pytest.mark.parametrize("step", STEPS)
def test_the_pair_is_in_sync(step):
    script = jupytext.read(NOTEBOOKS / f"{step}.py")
    notebook = nbformat.read(NOTEBOOKS / f"{step}.ipynb", as_version=4)
    assert _cells(script) == _cells(notebook)


@pytest.mark.parametrize("step", STEPS)
def test_every_code_cell_was_executed_in_order(step):
    notebook = nbformat.read(NOTEBOOKS / f"{step}.ipynb", as_version=4)
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert None not in counts, "re-record the outputs: python -m helpers.pipeline record"
    assert counts == list(range(1, len(counts) + 1))
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("step", STEPS)
def test_no_papermill_cell_or_metadata_leaked(step):
    text = (NOTEBOOKS / f"{step}.py").read_text()
    assert "injected-parameters" not in text and "papermill" not in text
    notebook = nbformat.read(NOTEBOOKS / f"{step}.ipynb", as_version=4)
    assert "papermill" not in notebook.metadata
    assert all("papermill" not in c.metadata for c in notebook.cells)


@pytest.mark.parametrize("step", STEPS)
def test_parameters_cell_defaults_are_the_offline_defaults(step):
    script = jupytext.read(NOTEBOOKS / f"{step}.py")
    tagged = [c for c in script.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    values = {}
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign), "a parameters cell only assigns values"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    local = yaml.safe_load((ROOT / "params" / "local.yaml").read_text())
    assert set(values) <= set(SCHEMA)
    assert {k: local[k] for k in values} == values


@pytest.mark.parametrize("step", STEPS)
def test_each_notebook_opens_with_a_bilingual_title_and_says_what_runs_first(step):
    script = jupytext.read(NOTEBOOKS / f"{step}.py")
    title = script.cells[0].source
    assert title.startswith(f"# {step[:2]} ")
    assert "**中文**" in title and "**English**" in title
    assert "Run first / 先執行" in title
