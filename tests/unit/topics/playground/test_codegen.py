"""The generated plain-PyTorch script runs on its own, its loss falls, and it matches the page's run."""
import re
import subprocess
import sys

import pytest

from core.topics.playground.codegen import generate_script
from core.topics.playground.upload import upload_data
from core.topics.playground.network import PlaygroundConfig, make_data, new_run


def _rows(stdout: str) -> list[dict]:
    return [{k: float(v) for k, v in re.findall(r"(\w+) ([-\d.naife]+)", line)} for line in stdout.splitlines()]


def _run_script(tmp_path, source: str, *args: str) -> list[dict]:
    """Run the script as a learner would: its own process, outside the repo (it must not need core/)."""
    path = tmp_path / "playground_setup.py"
    path.write_text(source)
    done = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return _rows(done.stdout)


def _exec_script(source: str, capsys, monkeypatch, *args: str) -> list[dict]:
    """The same, in this process (importing torch again in a subprocess costs seconds per case)."""
    monkeypatch.setattr(sys, "argv", ["playground_setup.py", *args])
    capsys.readouterr()
    exec(compile(source, "playground_setup.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    return _rows(capsys.readouterr().out)


CASES = [
    PlaygroundConfig(),
    PlaygroundConfig(dataset="spiral", classes=3, features=("x1", "x2", "sin1", "sin2", "x1x2"), hidden=(8, 6),
                     activations=("relu", "tanh"), dropout=0.1, reg="l1", reg_rate=0.001, optimizer="momentum",
                     lr=0.03, loss="mse", batch_size=16, seed=3),
    PlaygroundConfig(dataset="reg_gauss", hidden=(6,), activations=("tanh",), reg="l2", reg_rate=0.001,
                     optimizer="rmsprop", lr=0.01, n_points=200),
    PlaygroundConfig(dataset="xor", hidden=(), activations=(), features=("x1x2",), optimizer="sgd", lr=0.3),
]


def _check_against_engine(config: PlaygroundConfig, rows: list[dict]) -> None:
    run = new_run(config, make_data(config))
    initial = run.history.train_loss[0]
    assert rows[-1]["train_loss"] < initial  # the loss falls
    for epoch, row in enumerate(rows[:2], start=1):  # same data, weights, batches → the same losses, epoch by epoch
        run.step(run.steps_per_epoch)
        run.advance()
        assert run.history.eval_epoch[-1] == epoch
        assert row["train_loss"] == pytest.approx(run.history.train_loss[-1], rel=1e-4, abs=1e-6)
        assert row["test_loss"] == pytest.approx(run.history.val_loss[-1], rel=1e-4, abs=1e-6)  # val = the test set


@pytest.mark.slow
def test_script_runs_in_its_own_process_and_matches_the_engine(tmp_path):
    config = CASES[1]
    rows = _run_script(tmp_path, generate_script(config), "--epochs", "4")
    assert len(rows) == 4
    _check_against_engine(config, rows)


@pytest.mark.parametrize("config", [CASES[0], CASES[2], CASES[3]], ids=["default", "regression-l2", "no-hidden"])
def test_script_matches_the_engine(config, capsys, monkeypatch):
    rows = _exec_script(generate_script(config), capsys, monkeypatch, "--epochs", "4")
    assert len(rows) == 4
    _check_against_engine(config, rows)


@pytest.mark.parametrize("header", [True, False])
def test_upload_script_reads_the_csv(tmp_path, capsys, monkeypatch, header):
    lines = (["x1,x2,label"] if header else []) + [
        f"{i % 7 - 3},{i % 5 - 2},{int((i % 7 - 3) * (i % 5 - 2) > 0)}" for i in range(60)]
    (tmp_path / "mine.csv").write_text("\n".join(lines) + "\n")
    config = PlaygroundConfig(dataset="upload", hidden=(6,), activations=("tanh",), features=("x1", "x2", "x1x2"))
    data = upload_data((tmp_path / "mine.csv").read_bytes(), config.train_pct, config.seed)
    monkeypatch.chdir(tmp_path)
    rows = _exec_script(generate_script(config, data.task, data.classes), capsys, monkeypatch, "--epochs", "3",
                        "--csv", "mine.csv")
    run = new_run(config, data)
    run.step(run.steps_per_epoch)
    run.advance()
    assert rows[0]["train_loss"] == pytest.approx(run.history.train_loss[-1], rel=1e-4)
    assert rows[-1]["train_loss"] < run.history.train_loss[0]
