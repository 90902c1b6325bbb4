"""The page-latency and 2-D playground benches run end to end (tiny settings) and print their JSON."""
import json
import sys
from pathlib import Path

import pytest

from core.navigation import PAGES


def _last_json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_page_latency_times_every_topic_page(monkeypatch, capsys):
    from bench import page_latency

    monkeypatch.setattr(sys, "argv", ["page_latency", "--repeats", "1"])
    page_latency.main()
    result = _last_json(capsys)
    stems = {Path(p.path).stem for p in PAGES if p.url_path}  # every page but home has a scenario
    assert stems <= set(result), stems - set(result)
    assert all(result[k] > 0 for k in stems | {"baseline_home_ms"})


def test_playground2d_reports_steps_per_second(monkeypatch, capsys):
    from bench import playground2d

    monkeypatch.setattr(sys, "argv", ["playground2d", "--frames", "2", "--steps-per-frame", "2"])
    playground2d.main()
    assert _last_json(capsys)["steps_per_s"] > 0


def test_live_curves_reports_build_and_refill_times(monkeypatch, capsys):
    from bench import live_curves

    monkeypatch.setattr(sys, "argv", ["live_curves", "--points", "50", "--repeats", "2"])
    live_curves.main()
    result = _last_json(capsys)
    assert result["build_ms"] > 0 and result["refill_ms"] > 0


@pytest.mark.slow
def test_eval_batch_times_and_measures_each_batch_size(monkeypatch, capsys):
    from bench import eval_batch

    monkeypatch.setattr(sys, "argv", ["eval_batch", "--sizes", "32,256", "--repeats", "1"])
    eval_batch.main()
    result = _last_json(capsys)
    assert result["images"] > 0 and result["ratio_to_largest"]["256"] == 1.0
    assert all(result["seconds"][k] > 0 and result["peak_mb"][k] >= 0 for k in ("32", "256"))
