"""The CNN lab's setup as link parameters: data, model and training settings, so a link reproduces a run.

The page's widgets are keyed `cnn_<...>` (WIDGETS says which link name each one holds); the model's
BatchNorm and Dropout widgets are per architecture (`cnn_bn_<arch>`, `cnn_do_<arch>`).
"""
from dataclasses import replace

from core import urlstate as u
from core.data import IMAGE_DATASETS, ImageDataConfig
from core.models import ARCHITECTURES
from core.recipes import MNIST_DEFAULT
from core.registry import OPTIMIZERS, SCHEDULERS
from core.topics.cnn_lab.lab import LabSetup, base_model

# Fields the page derives (the model's shape from the data and architecture, the three seeds from
# one, how often it validates) or never changes (the recipe's values).
UNLINKED = frozenset({
    "data.val_fraction", "data.seed", "train.seed", "train.eval_every",
    "model.in_channels", "model.image_size", "model.num_classes", "model.hidden", "model.activation",
    "model.width", "train.momentum", "train.l1", "train.step_size", "train.gamma", "train.grad_clip",
    "train.loss", "train.label_smoothing", "train.channels_last", "train.max_steps",
})

PARAMS: dict[str, tuple[str, u.Param]] = {
    "ds": ("data.name", u.Choice(tuple(IMAGE_DATASETS))),
    "n": ("data.train_size", u.Maybe(u.Int(1, 1_000_000))),
    "seed": ("seed", u.Int(0, 9999)),
    "crop": ("train.augment.crop_padding", u.Int(0, 4)),
    "rot": ("train.augment.rotate_deg", u.Float(0.0, 30.0)),
    "flip": ("train.augment.hflip", u.Bool()),
    "arch": ("model.arch", u.Choice(tuple(ARCHITECTURES))),
    "bn": ("model.batchnorm", u.Bool()),
    "drop": ("model.dropout", u.Float(0.0, 0.7)),
    "epochs": ("train.epochs", u.Int(1, 30)),
    "bs": ("train.batch_size", u.Int(1, 4096)),
    "opt": ("train.optimizer", u.Choice(tuple(OPTIMIZERS))),
    "lr": ("train.lr", u.Float(1e-6, 10.0)),
    "wd": ("train.weight_decay", u.Float(0.0, 1.0)),
    "sched": ("train.scheduler", u.Choice(tuple(SCHEDULERS))),
    "pat": ("train.patience", u.Int(0, 10)),
    "cw": ("train.class_weights", u.Bool()),
}

# link name → the widget key that holds it ("bn" and "drop": the architecture's own widgets)
WIDGETS = {"ds": "cnn_dataset", "n": "cnn_size", "seed": "cnn_seed", "crop": "cnn_crop", "rot": "cnn_rotate",
           "flip": "cnn_flip", "arch": "cnn_arch", "epochs": "cnn_epochs", "bs": "cnn_bs", "opt": "cnn_opt",
           "lr": "cnn_lr", "wd": "cnn_wd", "sched": "cnn_sched", "pat": "cnn_patience", "cw": "cnn_cw"}


def default_setup(dataset: str) -> LabSetup:
    """What the page shows before anything is touched, on `dataset` (the machine's default)."""
    seed = MNIST_DEFAULT.train.seed
    return LabSetup(ImageDataConfig(dataset, None, seed=seed), base_model(MNIST_DEFAULT.model.arch),
                    replace(MNIST_DEFAULT.train, seed=seed), seed)


def binding(dataset: str) -> u.Binding:
    """The lab's link, with the machine's default dataset as the default of "ds"."""
    return u.Binding(default_setup(dataset), PARAMS, UNLINKED)


def widget_state(values: dict) -> dict[str, object]:
    """Decoded link values as the widgets hold them (session-state key → value; 0 images = all)."""
    state = {key: values[name] for name, key in WIDGETS.items()}
    state["cnn_size"] = values["n"] or 0
    state[f"cnn_bn_{values['arch']}"] = values["bn"]
    state[f"cnn_do_{values['arch']}"] = values["drop"]
    return state
