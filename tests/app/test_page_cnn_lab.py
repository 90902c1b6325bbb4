"""CNN lab page through AppTest: a tiny run completes and shows its results, Stop works, sessions are
isolated, a learner behind a full worker pool sees the queue, uploads (images, weights) never raise."""
import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from core.topics.cnn_lab import lab
from core.checkpoints import checkpoint_bytes
from core.i18n import t
from core.models import build_model, default_config
from tests.app.conftest import link_notices, open_with_link, page_app, query_of, rerun_while
from ui.live import job_runner

PAGE = "pages/cnn_lab.py"


def tiny_page(lang: str = "en", epochs: int = 1, batch: int = 128):
    """The page on the offline digits, 200 training images (a run of a couple of steps)."""
    at = page_app(PAGE, lang=lang)
    at.session_state["cnn_dataset"] = "digits"
    at.session_state["cnn_size"] = 200
    at.session_state["cnn_epochs"] = epochs
    at.session_state["cnn_bs"] = batch
    return at.run()


def training(at) -> bool:
    return at.session_state["cnn_run"] is not None if "cnn_run" in at.session_state else False


def train_to_end(at):
    """Press Start, then rerun until the run is finished (it trains in the job runner's workers)."""
    at.button(key="cnn_start").click().run()
    rerun_while(at, training)
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["cnn_runs"][-1]


def steps_of(at) -> int:
    return at.session_state["cnn_run"].progress().step


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def values(v) -> np.ndarray:
    """A plotly JSON array: a list, or {"dtype", "bdata" (base64), "shape"} for numpy data."""
    if isinstance(v, dict):
        flat = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return flat.reshape([int(n) for n in str(v.get("shape", len(flat))).split(",")]).astype(float)
    return np.array(v, dtype=float)


def heatmap(at) -> np.ndarray:
    return values(next(d["z"] for f in figures(at) for d in f["data"] if d["type"] == "heatmap"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_tiny_run_completes_and_shows_a_confusion_matrix(lang):
    at = tiny_page(lang)
    assert not at.exception and at.title[0].value == t("page_cnn_lab", lang)
    assert any(i.value == t("cnn_no_runs", lang) for i in at.info)  # nothing to show before a run
    record = train_to_end(at)
    assert record.reason == "completed" and record.steps == 2  # 200 - 10% validation, batch 128
    assert any(t("cnn_reason_completed", lang) in s.value for s in at.success)
    cm = heatmap(at)
    assert cm.shape == (10, 10) and np.allclose(cm.sum(1), 1.0)  # normalised rows by default
    assert at.metric[1].value == f"{record.test_acc:.2%}"


def test_normalise_toggle_switches_to_counts():
    at = tiny_page()
    record = train_to_end(at)
    at.toggle(key="cnn_norm").set_value(False).run()
    counts = heatmap(at)
    assert counts.sum() == len(record.test_probs) and np.all(counts == np.round(counts))
    assert np.trace(counts) / counts.sum() == pytest.approx(record.test_acc)


def test_stop_takes_effect_on_the_next_rerun():
    at = tiny_page(epochs=30, batch=16)
    at.button(key="cnn_start").click().run()
    live = at.session_state["cnn_run"]
    assert live is not None and not live.done
    rerun_while(at, lambda at: steps_of(at) < 3)  # it trains (in a worker) while the page reruns
    at.button(key="cnn_stop").click().run()
    assert not at.exception and at.session_state["cnn_run"] is None
    record = at.session_state["cnn_runs"][-1]
    assert record.reason == "stopped" and 3 <= record.steps < live.total_steps
    assert len(record.history.loss) == record.steps  # the partial curve came back with the weights


def test_a_learner_behind_a_full_pool_sees_the_queue_then_trains():
    runner = job_runner()
    at = tiny_page(epochs=30, batch=16)
    setup = at.session_state["cnn_setup"]
    others = [runner.submit(f"other-{i}", "cnn", setup) for i in range(runner.workers * runner.per_worker)]
    try:
        at.button(key="cnn_start").click().run()
        assert at.session_state["cnn_run"].state == "queued"
        assert t("live_queued_next") in [i.value for i in at.info]
        assert at.button(key="cnn_start").disabled and not at.button(key="cnn_stop").disabled
        runner.control("other-0", others[0], "stop")  # one slot frees: this learner is next
        rerun_while(at, lambda at: steps_of(at) < 2)
        assert at.session_state["cnn_run"].state == "running"
        at.button(key="cnn_stop").click().run()
        assert at.session_state["cnn_runs"][-1].reason == "stopped"
    finally:
        for i, job in enumerate(others):
            runner.forget(f"other-{i}", job)


def test_two_sessions_never_see_each_others_runs():
    first, second = tiny_page(), tiny_page()
    mine = train_to_end(first)
    second.run()
    assert second.session_state["cnn_runs"] == []
    assert any(i.value == t("cnn_no_runs") for i in second.info)
    theirs = train_to_end(second)  # same setup + seed: loaded from the shared weight cache ...
    assert theirs.reason == "cached" and any(s.value == t("cnn_from_cache") for s in second.success)
    assert theirs.model is not mine.model  # ... into this session's own model
    assert [r.run_id for r in first.session_state["cnn_runs"]] == [mine.run_id]


def test_a_missing_dataset_shows_the_message_and_offers_the_digits():
    at = tiny_page()
    at.selectbox(key="cnn_dataset").set_value("cifar10").run()
    assert not at.exception and at.error and "CIFAR-10 is not available" in at.error[0].value
    assert at.selectbox(key="cnn_dataset").format_func("cifar10") == "CIFAR-10"
    at.button(key="cnn_to_digits").click().run()
    assert not at.exception and not at.error and at.selectbox(key="cnn_dataset").value == "digits"


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_uploaded_png_digit_gets_a_prediction_and_a_bad_file_an_error():
    at = tiny_page()
    record = train_to_end(at)
    assert sum(record.label() in c.value for c in at.caption) == 2  # try-it and export name the model they use
    at.radio(key="cnn_try_source").set_value("upload").run()
    digit = np.zeros((120, 90), dtype=np.uint8)
    digit[20:100, 40:52] = 255  # a white "1" on black, like MNIST
    at.file_uploader(key="cnn_image_up").set_value(("one.png", _png(digit), "image/png")).run()
    assert not at.exception and not at.error
    assert any(h.value.startswith("Prediction:") for h in at.subheader)
    bars = [values(f["data"][0]["y"]) for f in figures(at) if f["data"][0]["type"] == "bar"]
    assert any(len(b) == 10 and abs(b.sum() - 1) < 1e-4 for b in bars)  # the probability bars
    dark_on_white = Image.fromarray(255 - digit).convert("RGBA")
    frames = io.BytesIO()  # an animated GIF: only its first frame is used, and the page says so
    dark_on_white.save(frames, "GIF", save_all=True, append_images=[dark_on_white.rotate(90)])
    at.file_uploader(key="cnn_image_up").set_value(("one.gif", frames.getvalue(), "image/gif")).run()
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "only the first one is used" in captions and "inverted" in captions
    at.file_uploader(key="cnn_image_up").set_value(("bad.png", b"this is not a png", "image/png")).run()
    assert not at.exception and at.error
    assert not any(h.value.startswith("Prediction:") for h in at.subheader)


def test_weights_upload_round_trips_and_a_mismatch_is_refused():
    at = tiny_page()
    record = train_to_end(at)
    blob = lab.weights_download(record)
    at.file_uploader(key="cnn_weights_up").set_value(("w.safetensors", blob, "application/octet-stream")).run()
    assert not at.exception and not at.error
    uploaded = at.session_state["cnn_runs"][-1]
    assert uploaded.reason == "uploaded" and uploaded.setup == record.setup
    assert uploaded.test_acc == pytest.approx(record.test_acc)
    wrong = checkpoint_bytes(build_model(default_config("mlp")), {"setup": record.setup.to_dict()})
    at.file_uploader(key="cnn_weights_up").set_value(("bad.safetensors", wrong, "application/octet-stream")).run()
    assert not at.exception and "do not fit" in at.error[0].value
    assert len(at.session_state["cnn_runs"]) == 2  # nothing added


def test_the_default_setup_is_the_shared_mnist_recipe(shared_mnist_available):
    from dataclasses import replace

    from core.recipes import MNIST_DEFAULT

    at = page_app(PAGE).run()
    assert not at.exception
    setup = at.session_state["cnn_setup"]
    assert setup.data.name == ("mnist" if shared_mnist_available else "digits") and setup.data.train_size is None
    assert setup.model == MNIST_DEFAULT.model
    assert replace(setup.train, eval_every=MNIST_DEFAULT.train.eval_every) == MNIST_DEFAULT.train


def test_two_runs_can_be_compared_setting_by_setting():
    at = tiny_page()
    train_to_end(at)
    at.select_slider(key="cnn_lr").set_value(1e-2).run()
    train_to_end(at)
    assert not at.exception and at.multiselect(key="cnn_pick").value == [2, 1]
    table = at.dataframe[-1].value
    first_lr = str(at.session_state["cnn_runs"][0].setup.train.lr)
    assert list(table.iloc[:, 0]) == ["train.lr"] and set(table.iloc[0, 1:]) == {"0.01", first_lr}
    loss_traces = [d for f in figures(at) for d in f["data"] if d.get("name", "").startswith("#")]
    assert {d["name"].split(" ")[0] for d in loss_traces} == {"#1", "#2"}  # both runs overlaid


@pytest.mark.slow
def test_a_run_whose_worker_dies_says_so_and_start_works_again():
    runner = job_runner()
    at = tiny_page(epochs=30, batch=16)
    at.button(key="cnn_start").click().run()
    rerun_while(at, lambda at: steps_of(at) < 2)
    for proc in runner._procs:  # every worker dies (killed, out of memory): the runner starts new ones
        proc.kill()
    rerun_while(at, training, timeout=60)
    failed = [e.value for e in at.error]
    assert any(t("live_failed", error="")[:20] in m and "worker" in m for m in failed), failed
    assert at.session_state["cnn_runs"] == [] and not at.button(key="cnn_start").disabled
    at.run()
    assert [e.value for e in at.error] == failed  # the message stays until the next press
    record = train_to_end(at)  # a new worker trains the next run
    assert record.reason in ("completed", "cached") and not at.error


def _page_size(at) -> tuple[int, int, int]:
    """What one full rerun draws: figures, images and all elements of the page."""
    return len(at.get("plotly_chart")), len(at.get("imgs")), sum(1 for _ in at.main)


@pytest.mark.slow
def test_a_rerun_does_not_grow_with_the_runs_kept():
    """Ten finished runs (new seeds) later, the session keeps the newest MAX_RUNS, and a
    rerun draws as much as it did after two (issue 15: Start-to-curve grew with finished runs)."""
    at = tiny_page()
    sizes = []
    for seed in range(10):
        at.number_input(key="cnn_seed").set_value(seed).run()
        record = train_to_end(at)
        assert record.reason in ("completed", "cached")  # (an earlier case may have trained this seed)
        at.run()
        sizes.append(_page_size(at))
    assert len(at.session_state["cnn_runs"]) == lab.MAX_RUNS
    assert [r.setup.seed for r in at.session_state["cnn_runs"]] == list(range(10 - lab.MAX_RUNS, 10))
    assert sizes[-1] == sizes[1], sizes
    newest = [r.run_id for r in at.session_state["cnn_runs"][::-1][:2]]
    assert at.multiselect(key="cnn_pick").value == newest  # Compare follows the new runs


def test_a_missing_dataset_is_explained_in_chinese():
    at = tiny_page("zh")
    assert at.selectbox(key="cnn_dataset").format_func("digits") == t("dataset_digits", "zh")
    assert at.selectbox(key="cnn_opt").format_func("adamw") == t("opt_adamw", "zh")
    at.selectbox(key="cnn_dataset").set_value("fashion_mnist").run()
    assert not at.exception and at.error
    message = at.error[0].value
    assert message.startswith("Fashion-MNIST 不可用") and "下载已关闭" in message and "Looked in" not in message


LINK = {"ds": "digits", "n": "333", "seed": "42", "crop": "3", "rot": "10", "flip": "1", "arch": "simple_cnn",
        "bn": "1", "drop": "0.35", "epochs": "7", "bs": "100", "opt": "nesterov", "lr": "0.0123", "wd": "0.002",
        "sched": "cosine", "pat": "3", "cw": "1"}


def test_a_link_reproduces_the_setup_and_the_page_writes_it_back():
    at = open_with_link(PAGE, LINK)
    assert not at.exception
    assert [w.value for w in at.warning] == [t("cnn_flip_digits", "en")]  # the link's flip, on digits: no link notice
    setup: lab.LabSetup = at.session_state["cnn_setup"]
    assert (setup.data.name, setup.data.train_size, setup.seed, setup.data.seed, setup.train.seed) == (
        "digits", 333, 42, 42, 42)
    assert (setup.model.arch, setup.model.batchnorm, setup.model.dropout) == ("simple_cnn", True, 0.35)
    t_ = setup.train
    assert (t_.epochs, t_.batch_size, t_.optimizer, t_.lr, t_.weight_decay, t_.scheduler, t_.patience,
            t_.class_weights) == (7, 100, "nesterov", 0.0123, 0.002, "cosine", 3, True)
    assert (t_.augment.crop_padding, t_.augment.rotate_deg, t_.augment.hflip) == (3, 10.0, True)
    assert query_of(at) == LINK  # the address bar is the same link


def test_a_garbage_link_falls_back_to_the_defaults_with_a_notice():
    at = open_with_link(PAGE, {"ds": "digits", "lr": "[text](http://evil.example)", "arch": "transformer"})
    assert not at.exception
    assert "lr" in link_notices(at) and "arch" in link_notices(at)
    setup: lab.LabSetup = at.session_state["cnn_setup"]
    assert setup.train.lr == lab.MNIST_DEFAULT.train.lr and setup.model.arch == lab.MNIST_DEFAULT.model.arch
    assert float(query_of(at)["lr"]) == lab.MNIST_DEFAULT.train.lr and query_of(at)["arch"] == lab.MNIST_DEFAULT.model.arch
