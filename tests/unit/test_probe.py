"""core.probe: each selected layer's output, named, from one forward pass, leaving the model as it was."""
import pytest
import torch
from torch import nn

from core.models import ResidualBlock, ModelConfig
from core.probe import probe


def _net() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Dropout(0.5), nn.Linear(5, 2))


def test_outputs_are_the_layers_own_outputs_in_call_order():
    net, x = _net(), torch.randn(7, 3)
    out, layers = probe(net, x, lambda name, module: name != "")
    assert [layer.name for layer in layers] == ["0", "1", "2", "3"]
    assert [layer.module for layer in layers] == list(net)
    h = x
    for layer, module in zip(layers, net.eval()):
        h = module(h)  # the same layer applied by hand, in eval mode
        torch.testing.assert_close(layer.output, h)
    torch.testing.assert_close(out, h)


def test_a_block_is_captured_after_the_layers_inside_it():
    block = nn.Sequential(ResidualBlock(2, 4, 2, ModelConfig(batchnorm=True)), nn.Flatten())
    _, layers = probe(block, torch.randn(2, 2, 6, 6), lambda name, module: isinstance(module, (nn.Conv2d,
                                                                                                ResidualBlock)))
    assert [layer.name for layer in layers] == ["0.body.0", "0.body.3", "0.shortcut.0", "0"]
    assert layers[-1].output.shape == (2, 4, 3, 3)


def test_dropout_is_off_and_the_training_mode_comes_back():
    net, x = _net(), torch.randn(50, 3)
    net.train()
    first, _ = probe(net, x, lambda name, module: False)
    second, _ = probe(net, x, lambda name, module: False)
    assert torch.equal(first, second)  # no random dropout mask in the probe
    assert net.training and all(m.training for m in net)


class Boom(nn.Module):
    def forward(self, x):
        raise RuntimeError("boom")


def test_hooks_are_removed_and_mode_restored_when_the_forward_pass_raises():
    net = nn.Sequential(nn.Linear(3, 3), Boom())
    net.train()
    with pytest.raises(RuntimeError, match="boom"):
        probe(net, torch.randn(2, 3), lambda name, module: True)
    assert net.training
    assert all(not m._forward_hooks for m in net.modules())
