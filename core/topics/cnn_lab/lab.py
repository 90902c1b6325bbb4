"""The CNN lab's runs: one frozen setup, a live run advanced in bounded slices, finished run records.

`new_run` makes the setup's core.live.LiveRun (ui/live.py advances it); when it is done, `finish()`
turns it into a `RunRecord` (test predictions included) that
the results, comparison and download views read. Trained weights also go to the disk cache, keyed
by the setup, so the same setup + seed later loads instantly instead of training again.
"""
import functools
import math
from dataclasses import asdict, dataclass, replace

import torch
from torch import nn

from core.augment import AugmentConfig
from core.checkpoints import checkpoint_bytes, config_key, load_cached, load_into, read_checkpoint, store_cached
from core.data import IMAGE_DATASETS, ImageData, ImageDataConfig, load_images
from core.errors import IncompatibleCheckpoint
from core.models import ARCHITECTURES, ModelConfig, build_model, default_config
from core.recipes import MNIST_DEFAULT
from core.live import History, LiveRun, engine_run, planned_steps
from core.text import literal
from core.registry import ACTIVATIONS, OPTIMIZERS, SCHEDULERS
from core.train import TrainConfig, evaluate_with_probs, predict_proba

EVALS_PER_EPOCH = 4  # validation points per epoch on the live curves
MAX_RUNS = 8  # finished runs kept per session (each holds a model and test-set probabilities)

# The choices the page offers; each list contains the recipe's own value so the default is selectable.
TRAIN_SIZES = [0, 200, 500, 1000, 2000, 5000, 10000, 20000]  # 0 = all training images
BATCH_SIZES = [16, 32, 64, 128, 256, 512]
LEARNING_RATES = sorted({1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, MNIST_DEFAULT.train.lr})
WEIGHT_DECAYS = sorted({0.0, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2, MNIST_DEFAULT.train.weight_decay})

CONV_OUTPUT_LATEX = r"n_{\mathrm{out}} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1"
SOFTMAX_CE_LATEX = (r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}} \qquad "
                    r"\mathcal{L} = -\frac{1}{B}\sum_{b=1}^{B} w_{y_b}\,\log p_{y_b}")


@dataclass(frozen=True)
class LabSetup:
    data: ImageDataConfig            # which images, how many, the validation split
    model: ModelConfig               # architecture, BatchNorm, Dropout
    train: TrainConfig               # optimizer, schedule, augmentation, early stopping
    seed: int = 0                    # initial weights (train.seed drives shuffling and dropout)

    def key(self) -> str:
        """Stable name of this setup's trained weights (disk and memory caches)."""
        return config_key(self.data, self.model, self.train, seed=self.seed)

    def to_dict(self) -> dict:
        """JSON-friendly nested dict (checkpoint metadata, settings comparison)."""
        return {"data": asdict(self.data), "model": self.model.to_dict(), "train": asdict(self.train),
                "seed": self.seed}

    @classmethod
    def from_dict(cls, d: dict) -> "LabSetup":
        """Inverse of `to_dict` (raises TypeError/KeyError on a foreign dict)."""
        train_d = dict(d["train"])
        train_d["augment"] = AugmentConfig(**train_d.get("augment", {}))
        return cls(ImageDataConfig(**d["data"]), ModelConfig.from_dict(d["model"]), TrainConfig(**train_d),
                   int(d.get("seed", 0)))


def with_eval_every(config: TrainConfig, n_train: int) -> TrainConfig:
    """Validate a few times per epoch so the validation curve moves while the learner watches."""
    steps_per_epoch = math.ceil(n_train / config.batch_size)
    return replace(config, eval_every=max(1, steps_per_epoch // EVALS_PER_EPOCH))


@dataclass
class RunRecord:
    """A finished (or stopped) run: its setup, curves, weights and test-set predictions."""
    run_id: int
    setup: LabSetup
    history: History
    reason: str                      # completed | early_stopping | stopped | max_steps | cached
    steps: int
    seconds: float                   # compute time
    model: nn.Module                 # eval mode; this session's own copy
    test_probs: torch.Tensor         # (N_test, classes) softmax outputs on the test split
    test_loss: float
    test_acc: float

    @property
    def test_pred(self) -> torch.Tensor:
        return self.test_probs.argmax(1)  # (N_test,)

    def label(self) -> str:
        """Short name for menus: '#2 fast_cnn · mnist · 98.6%'."""
        return f"#{self.run_id} {self.setup.model.arch} · {self.setup.data.name} · {self.test_acc:.1%}"

    def metadata(self) -> dict:
        """What travels with the weights: the whole setup, the curves and the test score."""
        return {"setup": self.setup.to_dict(), "history": self.history.to_dict(), "reason": self.reason,
                "steps": self.steps, "seconds": self.seconds, "test_acc": self.test_acc}


def new_model(setup: LabSetup) -> nn.Module:
    """Fresh weights for the setup (same seed → same weights)."""
    return build_model(setup.model, seed=setup.seed)


def new_run(setup: LabSetup, data: ImageData) -> LiveRun:
    """A live run of `setup` on `data` through the one engine (nothing trained yet)."""
    steps_per_epoch = math.ceil(len(data.x_train) / setup.train.batch_size)
    return LiveRun(engine_run(lambda: new_model(setup), data.x_train, data.y_train, setup.train, data.x_val,
                              data.y_val),
                   total_steps=planned_steps(len(data.x_train), setup.train), epochs=setup.train.epochs,
                   steps_per_epoch=steps_per_epoch, setup=setup)


@functools.lru_cache(maxsize=4)
def _worker_data(config: ImageDataConfig) -> ImageData:
    return load_images(config)


def job_run(setup: LabSetup, payload: ImageData | None = None) -> LiveRun:
    """new_run for the job runner (core.jobs): in a worker process the data are loaded (once per
    dataset config) from the same files the page uses, so the run is the page's run."""
    return new_run(setup, payload if payload is not None else _worker_data(setup.data))


def finish(run_id: int, live: LiveRun, data: ImageData) -> RunRecord:
    """Turn a live run into a record (test predictions included); cache completed weights on disk.

    A run not yet done is stopped first: its partial curves and weights are kept."""
    result = live.finish()
    setup: LabSetup = live.setup
    record = make_record(run_id, setup, data, result.model, result.history, result.reason, result.steps,
                         result.seconds)
    if record.reason != "stopped":  # a run stopped by hand is not what the setup produces
        store_cached(setup.key(), record.model, record.metadata())
    return record


def make_record(run_id: int, setup: LabSetup, data: ImageData, model: nn.Module, history: History,
                reason: str, steps: int, seconds: float) -> RunRecord:
    """Evaluate `model` on the test split and wrap everything into a RunRecord."""
    model.eval()
    # One pass for the loss, accuracy and probabilities: on a workshop server this runs in the app
    # process once per finished run, and two passes took ~0.9 s of its CPU each time (bench.workshop).
    test_loss, test_acc, probs = evaluate_with_probs(model, data.x_test, data.y_test, setup.train)
    return RunRecord(run_id, setup, history, reason, steps, seconds, model, probs, test_loss, test_acc or 0.0)


def load_trained(setup: LabSetup) -> tuple[dict[str, torch.Tensor], dict]:
    """The disk-cached weights (state_dict) and metadata for `setup`; KeyError when not cached.

    The page wraps this in st.cache_resource: the returned tensors are shared read-only, so a run
    built from them copies them into a fresh model (`record_from_cache`).
    """
    model = new_model(setup)
    meta = load_cached(setup.key(), model)
    if meta is None:
        raise KeyError(setup.key())
    return {k: v.clone() for k, v in model.state_dict().items()}, meta


def record_from_cache(run_id: int, setup: LabSetup, data: ImageData, state: dict, meta: dict) -> RunRecord:
    """A run record from cached weights: a fresh model with a copy of them, the cached curves."""
    model = new_model(setup)
    model.load_state_dict(state)  # copies: the cached tensors stay untouched
    history = History.from_dict(meta.get("history", {}))
    return make_record(run_id, setup, data, model, history, "cached", int(meta.get("steps", 0)),
                       float(meta.get("seconds", 0.0)))


def weights_download(record: RunRecord) -> bytes:
    """The record's weights as safetensors bytes, with setup + curves in the metadata."""
    return checkpoint_bytes(record.model, record.metadata())


def setup_from_upload(data: bytes) -> LabSetup:
    """The setup stored in an uploaded checkpoint's metadata (IncompatibleCheckpoint if absent)."""
    _, meta = read_checkpoint(data)
    try:
        setup = LabSetup.from_dict(meta["setup"])
    except (KeyError, TypeError, ValueError) as exc:
        raise IncompatibleCheckpoint("ckpt_err_no_setup") from exc
    # The names come from the file: each must be one this page knows before anything is built or shown.
    for what, name, known in (("dataset", setup.data.name, IMAGE_DATASETS),
                              ("architecture", setup.model.arch, ARCHITECTURES),
                              ("activation", setup.model.activation, ACTIVATIONS),
                              ("optimizer", setup.train.optimizer, OPTIMIZERS),
                              ("schedule", setup.train.scheduler, SCHEDULERS)):
        if not isinstance(name, str) or name not in known:
            raise IncompatibleCheckpoint(f"ckpt_err_unknown_{what}", name=literal(name), known=literal(", ".join(sorted(known)), 300))
    return setup


def model_from_upload(data: bytes, setup: LabSetup) -> nn.Module:
    """Load uploaded safetensors into a model built for `setup`; IncompatibleCheckpoint on mismatch."""
    model = new_model(setup)
    load_into(model, data)  # checks every name and shape before loading; never unpickles
    return model.eval()


def keep_run(runs: list[RunRecord], record: RunRecord, limit: int = MAX_RUNS) -> list[RunRecord]:
    """A new list: `runs` plus `record`, only the newest `limit` kept (the oldest models are freed)."""
    return (list(runs) + [record])[-limit:]


DERIVED_SETTINGS = {"train.eval_every"}  # follows from batch size and data size (with_eval_every)


def settings_diff(a: LabSetup, b: LabSetup) -> list[tuple[str, object, object]]:
    """(setting, value in a, value in b) for every setting that differs, flattened as 'train.lr'.

    Settings the lab derives rather than the learner chooses (DERIVED_SETTINGS) are left out.
    """

    def flat(d: dict, prefix: str = "") -> dict:
        out = {}
        for k, v in d.items():
            out.update(flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
        return out

    fa, fb = flat(a.to_dict()), flat(b.to_dict())
    return [(k, fa.get(k), fb.get(k)) for k in sorted(set(fa) | set(fb))
            if fa.get(k) != fb.get(k) and k not in DERIVED_SETTINGS]


def settings_rows(a: RunRecord, b: RunRecord, setting_header: str) -> list[dict[str, str]]:
    """The comparison table: one row per differing setting, columns `setting_header`, '#a', '#b'."""
    return [{setting_header: k, f"#{a.run_id}": str(va), f"#{b.run_id}": str(vb)}
            for k, va, vb in settings_diff(a.setup, b.setup)]


def default_dataset(status: dict[str, bool]) -> str:
    """Real MNIST when core.data.dataset_status() says it is on disk, else the offline digits."""
    return "mnist" if status.get("mnist") else "digits"


def base_model(arch: str) -> ModelConfig:
    """The recipe's model for its own architecture (tuned), the architecture's usual config otherwise."""
    return MNIST_DEFAULT.model if arch == MNIST_DEFAULT.model.arch else default_config(arch)


def fit_model(base: ModelConfig, image_shape: tuple[int, int, int], num_classes: int, batchnorm: bool,
              dropout: float) -> ModelConfig:
    """`base` resized for a dataset's images (C, H, W) and classes, with the learner's BatchNorm/Dropout."""
    channels, side, _ = image_shape
    return replace(base, in_channels=channels, image_size=side, num_classes=num_classes, batchnorm=batchnorm,
                   dropout=dropout)


def flip_mirrors_digits(augment: AugmentConfig, classes: list[str]) -> bool:
    """True when a horizontal flip is on for a digit set (a mirrored 3 is no digit: worth a warning)."""
    return augment.hflip and classes[:3] == ["0", "1", "2"]


def model_summary(config: ModelConfig) -> tuple[list[dict], int]:
    """Rows (layer, kind, output shape, parameters) from one real forward pass, and the total."""
    from core.models import count_parameters, summary

    model = build_model(config)
    rows = summary(model, (config.in_channels, config.image_size, config.image_size))
    return ([{"layer": r.name, "kind": r.kind, "shape": " × ".join(map(str, r.output_shape)), "params": r.params}
             for r in rows], count_parameters(model))


DIGIT_DATASETS = ("mnist", "digits")  # inputs prepared the MNIST way (crop, 20 px box, centre of mass)


def prepare_input(image, dataset: str, image_shape: tuple[int, int, int]):
    """An RGB array (H, W, 3) in [0, 1] → core.images.PreparedImage shaped like the dataset's images.

    Digits get MNIST's preprocessing; other grey sets (Fashion-MNIST) a square crop made grey, and
    inverted when its background is light (a photo of a shirt on a table, where Fashion-MNIST has
    light items on black); colour sets (CIFAR-10) a square crop. Raises core.errors.BadImage for an
    unusable image.
    """
    from core.images import PreparedImage, border_median, prepare_digit, prepare_rgb

    channels, side, _ = image_shape
    if dataset in DIGIT_DATASETS:
        return prepare_digit(image, size=side)
    prepared = prepare_rgb(image, size=side)  # tensor (3, side, side)
    if channels > 1:
        return prepared
    grey = prepared.tensor.mean(0, keepdim=True)  # (1, side, side)
    steps = prepared.steps + [("grey", grey[0].numpy())]
    inverted = border_median(grey[0].numpy()) > 0.5
    if inverted:
        grey = 1.0 - grey
        steps.append(("inverted_item", grey[0].numpy()))
    return PreparedImage(grey, steps, inverted)


def predict_image(record: RunRecord, data: ImageData, prepared) -> torch.Tensor:
    """Class probabilities (classes,) of the record's model for one prepared image."""
    x = data.normalise(prepared.tensor[None])  # (1, C, H, W) in the training units
    return predict_proba(record.model, x)[0]


def classify_image(record: RunRecord, data: ImageData, image):
    """An RGB array (H, W, 3) in [0, 1] → (PreparedImage, class probabilities (classes,) as numpy).

    Prepared like the record's dataset (`prepare_input`); raises core.errors.BadImage when unusable.
    """
    prepared = prepare_input(image, record.setup.data.name, data.image_shape)
    return prepared, predict_image(record, data, prepared).numpy()


def normalise_latex(mean: float, std: float) -> str:
    """The last preprocessing step as LaTeX, with the dataset's own mean and standard deviation."""
    return r"x' = \frac{x - \mu}{\sigma},\quad \mu = %.3f,\ \sigma = %.3f" % (mean, std)


def record_from_upload(run_id: int, blob: bytes, load_data) -> RunRecord:
    """A run record from uploaded weights: setup from the metadata, weights checked and loaded,
    test predictions on `load_data(setup.data)`. Raises IncompatibleCheckpoint (or DatasetUnavailable)."""
    setup = setup_from_upload(blob)
    model = model_from_upload(blob, setup)
    return make_record(run_id, setup, load_data(setup.data), model, History(), "uploaded", 0, 0.0)
