"""Every chosen layer's output by name, from one forward pass (forward hooks).

The one way pages look inside a network: the playground's neuron pictures, the model summary and
the CNN lab's feature maps all ask `probe` for the layers they draw, so "which layer produced this
picture" has one answer (the dotted module path, as in `model.named_modules()`).
"""
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

Select = Callable[[str, nn.Module], bool]  # (dotted name, module) -> capture its output?


@dataclass(frozen=True)
class LayerOutput:
    name: str              # dotted module path, e.g. "features.0" ("" is the whole model)
    module: nn.Module      # the layer that produced `output`
    output: torch.Tensor   # its output for the whole batch, e.g. (B, C, H, W) or (B, units)


def probe(model: nn.Module, x: torch.Tensor, select: Select) -> tuple[torch.Tensor, list[LayerOutput]]:
    """(model(x), the output of every selected layer in the order the layers ran).

    One pass in eval mode without autograd (dropout off, BatchNorm on its running statistics); the
    model's training mode is restored and the hooks removed even when the forward pass raises.
    """
    captured: list[LayerOutput] = []

    def keep(name: str) -> Callable:
        return lambda module, args, out: captured.append(LayerOutput(name, module, out))

    hooks = [module.register_forward_hook(keep(name)) for name, module in model.named_modules()
             if select(name, module)]
    was_training = model.training
    try:
        model.eval()
        with torch.inference_mode():
            out = model(x)
    finally:
        model.train(was_training)
        for hook in hooks:
            hook.remove()
    return out, captured
