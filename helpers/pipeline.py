"""Run the notebooks in order with papermill: the batch form of the tutorial.

    python -m helpers.pipeline run --params params/local.yaml [--steps 03-07]
                                   [--keep-resources] [-p name=value ...]

Executed notebooks and a summary go to ``runs/<run-id>/``. If a step fails, or is interrupted,
the cleanup notebook runs (unless ``--keep-resources``), and the command exits non-zero naming
the notebook and cell that failed.

    python -m helpers.pipeline record

re-executes the notebooks in place on the offline default, to re-record their outputs.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import params as parameters
from .runstate import STEPS, RunState

ROOT = parameters.ROOT
NOTEBOOKS = ROOT / "notebooks"
RUNS = ROOT / "runs"
KERNEL = "python3"
CLEANUP = "08_cleanup"


@dataclass
class StepResult:
    step: str
    seconds: float
    status: str  # ok | failed | interrupted
    detail: str = ""


@dataclass
class RunReport:
    run_id: str
    folder: Path
    results: list[StepResult] = field(default_factory=list)
    failure: str | None = None
    cleanup: str | None = None


def select_steps(spec: str | None) -> list[str]:
    """``None`` for all, ``05`` for one, ``03-07`` for a range (inclusive)."""
    if not spec:
        return list(STEPS)
    numbers = [s[:2] for s in STEPS]
    first, _, last = spec.partition("-")
    last = last or first
    if first not in numbers or last not in numbers or numbers.index(first) > numbers.index(last):
        raise parameters.ParameterError(
            f"--steps takes NN or NN-MM with steps {numbers[0]} to {numbers[-1]}, not {spec!r}")
    return list(STEPS[numbers.index(first):numbers.index(last) + 1])


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def declared_parameters(notebook: Path) -> set[str]:
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def execute(step: str, values: dict, folder: Path, timeout: int,
            progress: bool = True) -> StepResult:
    """Run one notebook into ``folder``; the executed copy appears only when complete."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = NOTEBOOKS / f"{step}.ipynb"
    passed = {k: v for k, v in values.items() if k in declared_parameters(notebook)}
    partial = folder / f".{step}.partial.ipynb"
    started = time.monotonic()
    try:
        papermill.execute_notebook(
            str(notebook), str(partial), parameters=passed, kernel_name=KERNEL,
            cwd=str(NOTEBOOKS), execution_timeout=timeout, progress_bar=progress,
            request_save_on_cell_execute=True,
        )
    except PapermillExecutionError as error:
        os.replace(partial, folder / f"{step}.failed.ipynb")
        return StepResult(step, time.monotonic() - started, "failed",
                          f"cell {error.cell_index + 1}: {error.ename}: {error.evalue}")
    except KeyboardInterrupt:
        if partial.exists():
            os.replace(partial, folder / f"{step}.interrupted.ipynb")
        return StepResult(step, time.monotonic() - started, "interrupted", "Ctrl-C")
    os.replace(partial, folder / f"{step}.ipynb")
    return StepResult(step, time.monotonic() - started, "ok")


def run(values: dict, steps: list[str], keep_resources: bool = False, timeout: int = 900,
        progress: bool = True) -> RunReport:
    """Run ``steps`` in order; on failure or Ctrl-C, run the cleanup notebook."""
    from tqdm import tqdm

    run_id = values.get("run_id") or new_run_id()
    folder = Path(values.get("run_dir") or RUNS / run_id).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    values = {**values, "run_id": run_id, "run_dir": str(folder)}
    RunState(folder).update(run_id=run_id)  # the tag value on every resource of the run
    report = RunReport(run_id, folder)
    bar = tqdm(steps, desc="steps", unit="notebook", disable=not progress, position=0)
    for step in bar:
        bar.set_postfix_str(step)
        try:
            result = execute(step, values, folder, timeout, progress)
        except KeyboardInterrupt:
            result = StepResult(step, 0.0, "interrupted", "Ctrl-C")
        report.results.append(result)
        if result.status != "ok":
            report.failure = f"{step} failed: {result.detail}"
            break
    bar.close()
    if report.failure and not keep_resources and report.results[-1].step != CLEANUP:
        cleanup = execute(CLEANUP, values, folder, timeout, progress)
        report.results.append(StepResult(f"{CLEANUP} (after failure)", cleanup.seconds,
                                         cleanup.status, cleanup.detail))
        report.cleanup = "cleanup ran" if cleanup.status == "ok" else \
            f"cleanup failed too: {cleanup.detail}; run python -m helpers.cleanup --run-id " \
            f"{run_id}"
    write_summary(report)
    return report


def write_summary(report: RunReport) -> None:
    state = RunState(report.folder)
    summary = {
        "run_id": report.run_id,
        "steps": [vars(r) for r in report.results],
        "total_seconds": round(sum(r.seconds for r in report.results), 1),
        "accuracy_percent": state.get("accuracy"),
        "confusion": state.get("confusion"),
        "failure": report.failure,
        "cleanup": report.cleanup,
    }
    (report.folder / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    lines = [f"# Run {report.run_id}", "", "| step | status | seconds |", "|---|---|---|"]
    lines += [f"| {r.step} | {r.status} | {r.seconds:.1f} |" for r in report.results]
    lines += ["", f"Total: {summary['total_seconds']} s."]
    if summary["accuracy_percent"] is not None:
        lines.append(f"Overall classification rate: {summary['accuracy_percent']:.2f}%.")
    if report.failure:
        lines.append(f"Failed: {report.failure}. {report.cleanup or ''}")
    (report.folder / "summary.md").write_text("\n".join(lines) + "\n")


def record(timeout: int = 900) -> None:
    """Execute every notebook in place from its ``.py`` on the offline default: the recorded
    outputs that ``pytest --nbval`` compares against."""
    import tempfile

    from .local import stop

    # A fresh server and run folder, so the outputs are those of a first run.
    os.environ["LOCAL_AWS_STATE_DIR"] = tempfile.mkdtemp(prefix="local-aws-record-")
    os.environ["TUTORIAL_RUN_DIR"] = tempfile.mkdtemp(prefix="tutorial-run-record-")
    try:
        _record_all(timeout)
    finally:
        stop(Path(os.environ["LOCAL_AWS_STATE_DIR"]))


def _record_all(timeout: int) -> None:
    import jupytext
    from nbclient import NotebookClient

    for step in STEPS:
        source = NOTEBOOKS / f"{step}.py"
        notebook = jupytext.read(source)
        client = NotebookClient(notebook, timeout=timeout, kernel_name=KERNEL,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        started = time.monotonic()
        client.execute()
        for cell in notebook.cells:
            cell.metadata.pop("execution", None)
        notebook.metadata.pop("widgets", None)
        jupytext.write(notebook, NOTEBOOKS / f"{step}.ipynb")
        print(f"recorded {step} in {time.monotonic() - started:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("run", help="run the notebooks in order")
    run_command.add_argument("--params", type=Path, default=ROOT / "params" / "local.yaml")
    run_command.add_argument("--steps", help="NN or NN-MM, e.g. 03-07 (default: all)")
    run_command.add_argument("--keep-resources", action="store_true",
                             help="on failure, do not run the cleanup notebook")
    run_command.add_argument("-p", dest="overrides", action="append", default=[],
                             metavar="NAME=VALUE", help="override one parameter")
    run_command.add_argument("--timeout", type=int, default=900,
                             help="seconds a cell may run (default 900)")
    run_command.add_argument("--no-progress", action="store_true")
    record_command = commands.add_parser("record", help="re-record the notebooks' outputs")
    record_command.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args(argv)

    if args.command == "record":
        record(args.timeout)
        return 0
    try:
        overrides = dict(parameters.parse_override(item) for item in args.overrides)
        values = parameters.load(args.params, overrides)
        steps = select_steps(args.steps)
    except (parameters.ParameterError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = run(values, steps, args.keep_resources, args.timeout, not args.no_progress)
    print((report.folder / "summary.md").read_text())
    if report.failure:
        failed = report.folder / f"{report.failure.split()[0]}.failed.ipynb"
        print(f"error: {report.failure} (see {failed})", file=sys.stderr)
        return 130 if "interrupted" in report.failure or "Ctrl-C" in report.failure else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
