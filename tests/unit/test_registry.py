"""Every registry entry's code text builds what its builder builds, and means what its name says."""
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from core import i18n, registry
from core.topics.cnn_lab.codegen import RESIDUAL_CODE
from core.models import ModelConfig, ResidualBlock

NAMESPACE = {"torch": torch, "nn": nn, "F": F, "math": math}
X = torch.linspace(-4, 4, 81).reshape(9, 9)


def _run(code: str, **names):
    return eval(code, {**NAMESPACE, **names})  # noqa: S307 -- our own code text


ALL = [(kind, key, entry) for kind, table in (("activation", registry.ACTIVATIONS), ("init", registry.INITS),
                                              ("optimizer", registry.OPTIMIZERS), ("scheduler", registry.SCHEDULERS),
                                              ("loss", registry.LOSSES))
       for key, entry in table.items()]


@pytest.mark.parametrize("kind,key,entry", ALL, ids=[f"{k}-{n}" for k, n, _ in ALL])
def test_every_entry_has_its_name_in_both_languages(kind, key, entry):
    for lang in i18n.LANGUAGES:
        assert entry.label in i18n.tables()[lang], f"{kind} {key}: {entry.label} missing in {lang}"
    assert key in entry.label  # the label key names the entry, so menus and URLs agree


@pytest.mark.parametrize("key", sorted(registry.ACTIVATIONS))
def test_activation_code_builds_the_same_layer(key):
    entry = registry.ACTIVATIONS[key]
    built, from_code = entry.build(), _run(entry.code)
    assert repr(from_code) == repr(built)  # same class and hyper-parameters
    torch.testing.assert_close(from_code(X), built(X), rtol=0, atol=0)


@pytest.mark.parametrize("key", sorted(registry.INITS))
def test_init_code_draws_the_same_weights_as_the_builder(key):
    entry = registry.INITS[key]
    torch.manual_seed(11)
    by_code = torch.empty(6, 5)
    _run(registry.code_text(entry, w="w"), w=by_code)
    torch.manual_seed(11)
    by_builder = entry.build(torch.empty(6, 5))
    assert torch.equal(by_code, by_builder)
    a, b = (entry.build(torch.empty(6, 5), torch.Generator().manual_seed(3)) for _ in range(2))
    assert torch.equal(a, b)  # a seeded generator gives the same weights every time


FAN_OUT, FAN_IN = 300, 500
# Each init's spread by its textbook definition (Glorot & Bengio 2010, He et al. 2015, nn.Linear's docs).
EXPECTED_STD = {
    "zeros": 0.0, "constant": 0.0, "normal_0.1": 0.1, "normal_0.01": 0.01,
    "xavier_uniform": math.sqrt(2 / (FAN_IN + FAN_OUT)), "xavier_normal": math.sqrt(2 / (FAN_IN + FAN_OUT)),
    "he_normal": math.sqrt(2 / FAN_IN), "default": 1 / math.sqrt(FAN_IN) / math.sqrt(3),
}
EXPECTED_BOUND = {"xavier_uniform": math.sqrt(6 / (FAN_IN + FAN_OUT)), "default": 1 / math.sqrt(FAN_IN)}


@pytest.mark.parametrize("key", sorted(registry.INITS))
def test_each_init_has_the_spread_its_name_promises(key):
    assert set(EXPECTED_STD) == set(registry.INITS)
    w = registry.INITS[key].build(torch.empty(FAN_OUT, FAN_IN), torch.Generator().manual_seed(0))
    assert w.std().item() == pytest.approx(EXPECTED_STD[key], rel=0.02, abs=1e-12)
    if key in EXPECTED_BOUND:
        assert w.abs().max().item() <= EXPECTED_BOUND[key]
    if key == "constant":
        assert torch.all(w == 0.5)


def _params():
    torch.manual_seed(0)
    return [nn.Parameter(torch.randn(3, 2)), nn.Parameter(torch.randn(3))]


def _settings(optimizer: torch.optim.Optimizer) -> dict:
    return {k: v for k, v in optimizer.param_groups[0].items() if k != "params"}


@pytest.mark.parametrize("key", sorted(registry.OPTIMIZERS))
def test_optimizer_code_builds_the_same_optimizer(key):
    entry = registry.OPTIMIZERS[key]
    built = entry.build(_params(), lr=0.05, momentum=0.7, weight_decay=0.01)
    from_code = _run(registry.code_text(entry, params="params", lr="0.05", momentum="0.7", weight_decay="0.01"),
                     params=_params())
    assert type(from_code) is type(built) and _settings(from_code) == _settings(built)


def _lrs(scheduler, optimizer, steps: int = 24) -> list[float]:
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return lrs


@pytest.mark.parametrize("key", sorted(registry.SCHEDULERS))
def test_scheduler_code_gives_the_same_learning_rates(key):
    entry = registry.SCHEDULERS[key]
    opt_a, opt_b = (torch.optim.SGD(_params(), lr=0.1) for _ in range(2))
    built = entry.build(opt_a, 0.1, 2, 0.5, 4, 24)
    from_code = _run(registry.code_text(entry, lr="0.1", step_size=2, gamma="0.5"), optimizer=opt_b,
                     steps_per_epoch=4, total_steps=24)
    assert type(from_code) is type(built)
    assert _lrs(from_code, opt_b) == pytest.approx(_lrs(built, opt_a), rel=1e-12)


@pytest.mark.parametrize("key", sorted(registry.LOSSES))
def test_loss_code_computes_the_same_value(key):
    entry = registry.LOSSES[key]
    logits = torch.randn(8, 3, generator=torch.Generator().manual_seed(1))
    y = torch.tensor([0, 1, 2, 2, 1, 0, 0, 1])
    if entry.labels:
        weight = torch.tensor([1.0, 2.0, 0.5])
        built = entry.build(logits, y, weight=weight, label_smoothing=0.1)
        by_code = _run(registry.code_text(entry, logits="logits", target="y", weight="weight", label_smoothing="0.1"),
                       logits=logits, y=y, weight=weight)
    else:
        target = F.one_hot(y, 3).float()
        built = entry.build(logits, target)
        by_code = _run(registry.code_text(entry, logits="logits", target="target"), logits=logits, target=target)
    assert by_code.item() == pytest.approx(built.item(), rel=1e-7)


def test_float_target_one_hot_encodes_labels_and_keeps_regression_targets():
    logits = torch.zeros(4, 3)
    _, target = registry.float_target(logits, torch.tensor([2, 0, 1, 2]))
    assert target.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    one, p1 = registry.float_target(torch.zeros(4, 1), torch.tensor([1, 0, 0, 1]))
    assert one.shape == (4,) and p1.tolist() == [1.0, 0.0, 0.0, 1.0]
    out, y = registry.float_target(torch.zeros(4, 1), torch.tensor([0.5, -1.0, 2.0, 0.0]))
    assert out.shape == (4,) and y.tolist() == [0.5, -1.0, 2.0, 0.0]


def _sample_layers() -> list[nn.Module]:
    convs = [nn.Conv2d(3, 8, 5, stride=2, padding=2, bias=False), nn.Conv2d(1, 4, 3, padding=1)]
    others = [nn.BatchNorm2d(4), nn.BatchNorm1d(6), nn.Linear(6, 2), nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1),
              nn.Dropout(0.25), nn.LeakyReLU(0.2), nn.Flatten()]
    blocks = [ResidualBlock(4, 8, 2, ModelConfig(batchnorm=True, activation="gelu")),
              ResidualBlock(4, 4, 1, ModelConfig(batchnorm=False))]
    return convs + others + [entry.build() for entry in registry.ACTIVATIONS.values()] + blocks


def test_every_layer_type_has_code():
    kinds = {type(m) for m in _sample_layers()}
    assert set(registry.LAYERS) <= kinds  # every registered type is tried below


@pytest.mark.parametrize("layer", _sample_layers(), ids=lambda m: type(m).__name__)
def test_layer_code_rebuilds_the_same_layer(layer):
    helpers: dict = {**NAMESPACE}
    exec(RESIDUAL_CODE, helpers)  # noqa: S102 -- the generated scripts' ResidualBlock
    rebuilt = eval(registry.layer_code(layer), helpers)  # noqa: S307
    assert repr(rebuilt) == repr(layer)
    rebuilt.load_state_dict(layer.state_dict())
    x = torch.randn(2, 4, 8, 8) if isinstance(layer, (ResidualBlock, nn.BatchNorm2d, nn.MaxPool2d,
                                                       nn.AdaptiveAvgPool2d, nn.Flatten)) else torch.randn(2, 6)
    if isinstance(layer, nn.Conv2d):
        x = torch.randn(2, layer.in_channels, 8, 8)
    layer.eval(), rebuilt.eval()
    torch.testing.assert_close(rebuilt(x), layer(x))
