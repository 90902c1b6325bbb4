"""One entry per concept: activations, weight inits, optimizers, schedules, losses and layers.

Each entry holds what builds the object, the PyTorch source text that builds the same object (for
"show the code"), and the i18n key of its name in menus. Every page lists these registries, every
code generator formats their text and every URL stores their keys, so two pages that say
"xavier_uniform" mean the same function (TensorFlow Playground's `state.ts` idea).
tests/unit/test_registry.py executes each entry's code text and compares what it builds with the
builder's object.

Code text is a `str.format` template; the fields each registry fills are named in its docstring.
"""
import math
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class Entry:
    label: str           # i18n key of the name shown in menus
    code: str            # PyTorch source building the same object; `{field}`s filled by `code_text`
    build: Callable      # builds the object (arguments: see each registry)


def code_text(entry: Entry, **fields) -> str:
    """The entry's code with its fields filled in (numbers or the script's variable names)."""
    return entry.code.format(**fields)


# ---------------------------------------------------------------- activations: build() -> nn.Module

def _activation(key: str, code: str, build: Callable[[], nn.Module]) -> Entry:
    return Entry(f"activation_{key}", code, build)


ACTIVATIONS: dict[str, Entry] = {
    "relu": _activation("relu", "nn.ReLU()", nn.ReLU),
    "leaky_relu": _activation("leaky_relu", "nn.LeakyReLU(0.01)", lambda: nn.LeakyReLU(0.01)),
    "elu": _activation("elu", "nn.ELU()", nn.ELU),
    "gelu": _activation("gelu", "nn.GELU()", nn.GELU),
    "silu": _activation("silu", "nn.SiLU()", nn.SiLU),
    "tanh": _activation("tanh", "nn.Tanh()", nn.Tanh),
    "sigmoid": _activation("sigmoid", "nn.Sigmoid()", nn.Sigmoid),
    "softplus": _activation("softplus", "nn.Softplus()", nn.Softplus),
    "mish": _activation("mish", "nn.Mish()", nn.Mish),
    "hardsigmoid": _activation("hardsigmoid", "nn.Hardsigmoid()", nn.Hardsigmoid),
    "linear": _activation("linear", "nn.Identity()", nn.Identity),
}


# ---------------------------------------------------------------- inits: build(weight, generator) in place
# Code text field: {w}, the weight tensor's name. A builder given generator=None draws from torch's
# global generator, like the code text does.

def _init(key: str, code: str, build: Callable[[torch.Tensor, torch.Generator | None], torch.Tensor]) -> Entry:
    return Entry(f"init_{key}", code, build)


INITS: dict[str, Entry] = {
    "zeros": _init("zeros", "nn.init.zeros_({w})", lambda w, g=None: nn.init.zeros_(w)),
    # all equal but not zero: units learn, yet stay identical to each other
    "constant": _init("constant", "nn.init.constant_({w}, 0.5)", lambda w, g=None: nn.init.constant_(w, 0.5)),
    # the tutorials' "randn * small", at two sizes
    "normal_0.1": _init("normal_0.1", "nn.init.normal_({w}, 0.0, 0.1)",
                        lambda w, g=None: nn.init.normal_(w, 0.0, 0.1, generator=g)),
    "normal_0.01": _init("normal_0.01", "nn.init.normal_({w}, 0.0, 0.01)",
                         lambda w, g=None: nn.init.normal_(w, 0.0, 0.01, generator=g)),
    # Glorot: Var = 2 / (fan_in + fan_out)
    "xavier_uniform": _init("xavier_uniform", "nn.init.xavier_uniform_({w})",
                            lambda w, g=None: nn.init.xavier_uniform_(w, generator=g)),
    "xavier_normal": _init("xavier_normal", "nn.init.xavier_normal_({w})",
                           lambda w, g=None: nn.init.xavier_normal_(w, generator=g)),
    # He / Kaiming: Var = 2 / fan_in
    "he_normal": _init("he_normal", 'nn.init.kaiming_normal_({w}, nonlinearity="relu")',
                       lambda w, g=None: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)),
    # what nn.Linear and nn.Conv2d do by themselves
    "default": _init("default", "nn.init.kaiming_uniform_({w}, a=math.sqrt(5))",
                     lambda w, g=None: nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=g)),
}


# ---------------------------------------------------------------- optimizers: build(params, lr, momentum, weight_decay)
# Code text fields: {params}, {lr}, {momentum}, {weight_decay}.

def _optimizer(key: str, code: str, build: Callable[..., torch.optim.Optimizer]) -> Entry:
    return Entry(f"opt_{key}", code, build)


OPTIMIZERS: dict[str, Entry] = {
    "sgd": _optimizer("sgd", "torch.optim.SGD({params}, lr={lr}, weight_decay={weight_decay})",
                      lambda p, lr, momentum, weight_decay: torch.optim.SGD(p, lr=lr, weight_decay=weight_decay)),
    "momentum": _optimizer(
        "momentum", "torch.optim.SGD({params}, lr={lr}, momentum={momentum}, weight_decay={weight_decay})",
        lambda p, lr, momentum, weight_decay: torch.optim.SGD(p, lr=lr, momentum=momentum,
                                                              weight_decay=weight_decay)),
    "nesterov": _optimizer(
        "nesterov",
        "torch.optim.SGD({params}, lr={lr}, momentum={momentum}, nesterov=True, weight_decay={weight_decay})",
        lambda p, lr, momentum, weight_decay: torch.optim.SGD(p, lr=lr, momentum=momentum, nesterov=True,
                                                              weight_decay=weight_decay)),
    "adagrad": _optimizer("adagrad", "torch.optim.Adagrad({params}, lr={lr}, weight_decay={weight_decay})",
                          lambda p, lr, momentum, weight_decay: torch.optim.Adagrad(p, lr=lr,
                                                                                    weight_decay=weight_decay)),
    "rmsprop": _optimizer("rmsprop", "torch.optim.RMSprop({params}, lr={lr}, weight_decay={weight_decay})",
                          lambda p, lr, momentum, weight_decay: torch.optim.RMSprop(p, lr=lr,
                                                                                    weight_decay=weight_decay)),
    "adam": _optimizer("adam", "torch.optim.Adam({params}, lr={lr}, weight_decay={weight_decay})",
                       lambda p, lr, momentum, weight_decay: torch.optim.Adam(p, lr=lr, weight_decay=weight_decay)),
    "adamw": _optimizer("adamw", "torch.optim.AdamW({params}, lr={lr}, weight_decay={weight_decay})",
                        lambda p, lr, momentum, weight_decay: torch.optim.AdamW(p, lr=lr,
                                                                                weight_decay=weight_decay)),
}


# ---------------------------------------------------------------- schedules, stepped once per training step
# build(optimizer, lr, step_size, gamma, steps_per_epoch, total_steps) -> scheduler or None.
# Code text fields: {lr}, {step_size} (epochs between decays), {gamma} (decay per step_size / epoch);
# the text refers to the script's variables `optimizer`, `steps_per_epoch` and `total_steps`.

def _schedule(key: str, code: str, build: Callable) -> Entry:
    return Entry(f"sched_{key}", code, build)


SCHEDULERS: dict[str, Entry] = {
    "none": _schedule("none", "None", lambda opt, lr, step_size, gamma, spe, total: None),
    "step": _schedule(
        "step", "torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, {step_size} * steps_per_epoch), "
                "gamma={gamma})",
        lambda opt, lr, step_size, gamma, spe, total: torch.optim.lr_scheduler.StepLR(
            opt, step_size=max(1, step_size * spe), gamma=gamma)),
    "exponential": _schedule(
        "exponential", "torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma={gamma} ** (1 / steps_per_epoch))",
        lambda opt, lr, step_size, gamma, spe, total: torch.optim.lr_scheduler.ExponentialLR(
            opt, gamma=gamma ** (1 / spe))),
    "cosine": _schedule(
        "cosine", "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)",
        lambda opt, lr, step_size, gamma, spe, total: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)),
    "onecycle": _schedule(
        "onecycle", "torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr={lr}, total_steps=total_steps, "
                    "pct_start=0.25)",
        lambda opt, lr, step_size, gamma, spe, total: torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=lr, total_steps=total, pct_start=0.25)),
}


# ---------------------------------------------------------------- losses: build(logits, target, **options)
# Code text fields: {logits}, {target}; cross-entropy also {weight} and {label_smoothing}.
# `labels`: the target is class indices (B,); otherwise float targets shaped like the logits
# (class labels are one-hot encoded first, see `float_target`).

@dataclass(frozen=True)
class LossEntry(Entry):
    labels: bool = False   # takes class indices, not float targets


LOSSES: dict[str, LossEntry] = {
    "cross_entropy": LossEntry(
        "loss_cross_entropy", "F.cross_entropy({logits}, {target}, weight={weight}, label_smoothing={label_smoothing})",
        lambda logits, target, weight=None, label_smoothing=0.0: F.cross_entropy(
            logits, target, weight=weight, label_smoothing=label_smoothing), labels=True),
    "mse": LossEntry("loss_mse", "F.mse_loss({logits}, {target})",
                     lambda logits, target, **_: F.mse_loss(logits, target)),
    "bce": LossEntry("loss_bce", "F.binary_cross_entropy_with_logits({logits}, {target})",
                     lambda logits, target, **_: F.binary_cross_entropy_with_logits(logits, target)),
}


def float_target(logits: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(logits, target) for a float-target loss: class labels one-hot, or one logit against P(class 1);
    regression targets (N,) against a single output column."""
    if not torch.is_floating_point(y):  # class labels
        if logits.shape[1] == 1:
            return logits[:, 0], y.to(logits.dtype)
        return logits, F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return (logits.squeeze(-1) if y.ndim == 1 else logits), y


# ---------------------------------------------------------------- layers: type -> code text of a built module
# The builder of a layer is its class; the code text is read back from the built module, so the
# generated model always matches the page's (codegen tests load the page's weights into it).

LAYERS: dict[type, Callable[[nn.Module], str]] = {
    nn.Conv2d: lambda m: (f"nn.Conv2d({m.in_channels}, {m.out_channels}, {m.kernel_size[0]}, stride={m.stride[0]}, "
                          f"padding={m.padding[0]}, bias={m.bias is not None})"),
    nn.BatchNorm2d: lambda m: f"nn.BatchNorm2d({m.num_features})",
    nn.BatchNorm1d: lambda m: f"nn.BatchNorm1d({m.num_features})",
    nn.Linear: lambda m: f"nn.Linear({m.in_features}, {m.out_features})",
    nn.MaxPool2d: lambda m: f"nn.MaxPool2d({m.kernel_size})",
    nn.AdaptiveAvgPool2d: lambda m: f"nn.AdaptiveAvgPool2d({m.output_size})",
    nn.Dropout: lambda m: f"nn.Dropout({m.p:g})",
    nn.LeakyReLU: lambda m: f"nn.LeakyReLU({m.negative_slope:g})",
    nn.Flatten: lambda m: "nn.Flatten()",
    **{type(entry.build()): (lambda m: f"nn.{type(m).__name__}()")
       for key, entry in ACTIVATIONS.items() if key != "leaky_relu"},
}


def layer_code(module: nn.Module) -> str:
    """The constructor call that rebuilds `module`: from LAYERS, or the module's own `code()` for
    the playground's composite blocks (e.g. core.models.ResidualBlock)."""
    if type(module) in LAYERS:
        return LAYERS[type(module)](module)
    return module.code()

