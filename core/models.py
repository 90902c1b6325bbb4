"""The tutorials' networks, each built from one frozen config, plus a layer-by-layer summary.

Every convolutional model is `features` (convolutions, an nn.Sequential) followed by `classifier`
(an nn.Sequential), so pages can reach "the last conv layer" or "every conv layer" by name.
"""
from dataclasses import asdict, dataclass, replace
from typing import Callable

import torch
from torch import nn

from core import registry
from core.probe import probe

@dataclass(frozen=True)
class ModelConfig:
    arch: str = "fast_cnn"           # key of ARCHITECTURES
    in_channels: int = 1             # 1 for MNIST-like, 3 for CIFAR-10
    image_size: int = 28             # square input side in pixels
    num_classes: int = 10
    hidden: tuple[int, ...] = (512, 256)  # MLP only: hidden layer widths
    activation: str = "relu"         # key of core.registry.ACTIVATIONS
    batchnorm: bool = False          # BatchNorm after each conv / hidden layer
    dropout: float = 0.0             # dropout probability before each classifier layer
    width: int = 32                  # channels of the first conv block (later blocks multiply it)

    def to_dict(self) -> dict:
        """Plain JSON-friendly dict (tuples become lists)."""
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        """Inverse of `to_dict`; unknown keys raise TypeError."""
        d = dict(d)
        if "hidden" in d:
            d["hidden"] = tuple(int(h) for h in d["hidden"])
        return cls(**d)


def _act(config: ModelConfig) -> nn.Module:
    return registry.ACTIVATIONS[config.activation].build()


def _conv_block(c_in: int, c_out: int, kernel: int, config: ModelConfig) -> list[nn.Module]:
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2, bias=not config.batchnorm)]
    if config.batchnorm:
        layers.append(nn.BatchNorm2d(c_out))
    return layers + [_act(config)]


def _flat_size(features: nn.Module, config: ModelConfig) -> int:
    # In eval mode: a training-mode pass would move BatchNorm's running statistics before training
    # starts, and the generated script's model (which never makes this pass) would start elsewhere.
    zeros = torch.zeros(1, config.in_channels, config.image_size, config.image_size)
    out, _ = probe(features, zeros, lambda name, module: False)
    return out.numel()


class ConvNet(nn.Module):
    """`features` then `classifier`; the classifier's input size is measured, not hand-computed."""

    def __init__(self, features: nn.Sequential, hidden: list[int], config: ModelConfig):
        super().__init__()
        self.features = features
        layers: list[nn.Module] = [nn.Flatten()]
        size = _flat_size(features, config)
        for width in hidden:
            layers += [nn.Dropout(config.dropout)] if config.dropout else []
            layers += [nn.Linear(size, width), _act(config)]
            size = width
        layers += [nn.Dropout(config.dropout)] if config.dropout else []
        layers.append(nn.Linear(size, config.num_classes))
        self.classifier = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, C, H, W) → (B, classes) logits
        return self.classifier(self.features(x))


def build_mlp(config: ModelConfig) -> nn.Module:
    """The tutorials' MNIST MLP: flatten, hidden Linear layers (784-512-256-10 by default)."""
    layers: list[nn.Module] = [nn.Flatten()]
    size = config.in_channels * config.image_size ** 2
    for width in config.hidden:
        layers.append(nn.Linear(size, width))
        layers += [nn.BatchNorm1d(width)] if config.batchnorm else []
        layers.append(_act(config))
        layers += [nn.Dropout(config.dropout)] if config.dropout else []
        size = width
    layers.append(nn.Linear(size, config.num_classes))
    return nn.Sequential(*layers)


def build_mnist_cnn(config: ModelConfig) -> nn.Module:
    """The tutorials' two-conv MNISTNet: conv 32 → conv 64 → max-pool → fc 128 (pytorch/examples)."""
    w = config.width
    features = nn.Sequential(
        *_conv_block(config.in_channels, w, 3, config),
        *_conv_block(w, 2 * w, 3, config),
        nn.MaxPool2d(2))
    return ConvNet(features, [128], config)


def build_fast_cnn(config: ModelConfig) -> nn.Module:
    """The playground's default: conv5x5-24 → pool → conv3x3-32 → pool → fc 256 (fast on a CPU)."""
    features = nn.Sequential(
        *_conv_block(config.in_channels, 24, 5, config), nn.MaxPool2d(2),
        *_conv_block(24, 32, 3, config), nn.MaxPool2d(2))
    return ConvNet(features, [256], config)


def build_simple_cnn(config: ModelConfig) -> nn.Module:
    """SimpleCNN: two conv + max-pool blocks (width, 2x width), then fc 128."""
    w = config.width
    features = nn.Sequential(
        *_conv_block(config.in_channels, w, 3, config), nn.MaxPool2d(2),
        *_conv_block(w, 2 * w, 3, config), nn.MaxPool2d(2))
    return ConvNet(features, [128], config)


def build_cifar10_net(config: ModelConfig) -> nn.Module:
    """CIFAR10Net: three double-conv blocks (32, 64, 128) with BatchNorm, pooling and Dropout."""
    w, layers, c_in = config.width, [], config.in_channels
    for c_out in (w, 2 * w, 4 * w):
        layers += _conv_block(c_in, c_out, 3, config) + _conv_block(c_out, c_out, 3, config)
        layers.append(nn.MaxPool2d(2))
        layers += [nn.Dropout(config.dropout / 2)] if config.dropout else []
        c_in = c_out
    return ConvNet(nn.Sequential(*layers), [256], config)


class ResidualBlock(nn.Module):
    """y = act(F(x) + shortcut(x)); F is conv-BN-act-conv-BN; the shortcut matches shapes by 1x1 conv."""

    def __init__(self, c_in: int, c_out: int, stride: int, config: ModelConfig):
        super().__init__()
        norm = (lambda c: nn.BatchNorm2d(c)) if config.batchnorm else (lambda c: nn.Identity())
        self.body = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride, 1, bias=not config.batchnorm), norm(c_out), _act(config),
            nn.Conv2d(c_out, c_out, 3, 1, 1, bias=not config.batchnorm), norm(c_out))
        self.shortcut = nn.Identity() if stride == 1 and c_in == c_out else nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, stride, bias=not config.batchnorm), norm(c_out))
        self.act = _act(config)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.body(x) + self.shortcut(x))

    def code(self) -> str:
        """The constructor call of the generated scripts' ResidualBlock (core/topics/cnn_lab/codegen.py's RESIDUAL_CODE)."""
        conv = self.body[0]
        return (f"ResidualBlock({conv.in_channels}, {conv.out_channels}, {conv.stride[0]}, "
                f"batchnorm={isinstance(self.body[1], nn.BatchNorm2d)}, act=lambda: {registry.layer_code(self.act)})")


def build_resnet_small(config: ModelConfig) -> nn.Module:
    """A small ResNet: stem conv, residual blocks at width, 2x (stride 2), 4x (stride 2), global pool.

    The blocks get at least 8 channels: with fewer, torch 2.14.1's oneDNN kernel for the strided
    1x1 shortcut's backward (channels_last) corrupts memory or hangs, after a dozen runs
    (tests/unit/test_models.py keeps a tiny ResNet training in a subprocess to catch it).
    """
    w = max(8, config.width // 2)
    features = nn.Sequential(
        *_conv_block(config.in_channels, w, 3, config),
        ResidualBlock(w, w, 1, config),
        ResidualBlock(w, 2 * w, 2, config),
        ResidualBlock(2 * w, 4 * w, 2, config),
        nn.AdaptiveAvgPool2d(1))
    return ConvNet(features, [], config)


@dataclass(frozen=True)
class Architecture:
    title: str
    build: Callable[[ModelConfig], nn.Module]
    defaults: dict  # config fields this architecture is usually trained with


ARCHITECTURES: dict[str, Architecture] = {
    "fast_cnn": Architecture("Fast CNN (playground default)", build_fast_cnn, {"batchnorm": False, "dropout": 0.0}),
    "mlp": Architecture("MLP 784-512-256-10", build_mlp, {"dropout": 0.2}),
    "mnist_cnn": Architecture("MNIST CNN (two conv)", build_mnist_cnn, {"dropout": 0.25}),
    "simple_cnn": Architecture("SimpleCNN", build_simple_cnn, {"dropout": 0.25}),
    "cifar10_net": Architecture("CIFAR10Net (BatchNorm + Dropout)", build_cifar10_net,
                                {"batchnorm": True, "dropout": 0.5}),
    "resnet_small": Architecture("Small ResNet", build_resnet_small, {"batchnorm": True, "dropout": 0.0}),
}


def default_config(arch: str, **overrides) -> ModelConfig:
    """A config with the architecture's usual BatchNorm/Dropout settings, then `overrides`."""
    return replace(ModelConfig(arch=arch), **{**ARCHITECTURES[arch].defaults, **overrides})


def build_model(config: ModelConfig, seed: int = 0) -> nn.Module:
    """Build the network for `config` with weights drawn from `seed` (same seed → same weights)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return ARCHITECTURES[config.arch].build(config)


@dataclass(frozen=True)
class LayerRow:
    name: str                        # dotted module path, e.g. "features.0"
    kind: str                        # class name, e.g. "Conv2d"
    output_shape: tuple[int, ...]    # without the batch dimension
    params: int                      # parameters owned by this layer alone


def summary(model: nn.Module, input_shape: tuple[int, ...]) -> list[LayerRow]:
    """One row per leaf layer (and residual block) with its output shape, from one real forward pass.

    `input_shape` is one example's shape without the batch dimension, e.g. (1, 28, 28).
    """
    def is_row(name: str, module: nn.Module) -> bool:
        return bool(name) and (not list(module.children()) or isinstance(module, ResidualBlock))

    _, outputs = probe(model, torch.zeros(1, *input_shape), is_row)
    rows = [LayerRow(o.name, type(o.module).__name__, tuple(o.output.shape[1:]),
                     sum(p.numel() for p in o.module.parameters(recurse=isinstance(o.module, ResidualBlock))))
            for o in outputs]
    # Layers inside a residual block are counted by the block row; drop them to avoid double counts.
    blocks = [r.name for r in rows if r.kind == "ResidualBlock"]
    return [r for r in rows if not any(r.name.startswith(b + ".") for b in blocks)]


def count_parameters(model: nn.Module) -> int:
    """Trainable parameters in the whole model."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
