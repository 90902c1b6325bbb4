"""The plain PyTorch script for a playground setup: data, features, network, training loop.

The script needs only numpy and torch. It reproduces the page's run step for step: same data,
same initial weights, same batch order and the same losses (a test checks this), so a learner can
copy it and keep going on their own.
"""
import inspect

from core import toy2d
from core.topics.playground.network import FEATURES, PlaygroundConfig
from core.registry import ACTIVATIONS, LOSSES, OPTIMIZERS, code_text
from core.topics.playground.datasets import PG_DATASETS, SCALE, clamp_classes

_CSV_LOADER = '''
def make_data(path, seed):
    """x1,x2,label rows (a non-numeric first row is a header), shuffled by seed."""
    with open(path, encoding="utf-8-sig") as f:
        first = f.readline()
    try:
        [float(cell) for cell in first.split(",")]
        header = 0
    except ValueError:
        header = 1
    table = np.genfromtxt(path, delimiter=",", skip_header=header, encoding="utf-8-sig")
    x, labels = torch.tensor(table[:, :2], dtype=torch.float32), torch.tensor(table[:, 2])
    if TASK == "classify":
        y = torch.searchsorted(torch.unique(labels), labels)   # classes renumbered 0..k-1
    else:
        y = (labels / labels.abs().max()).float()              # targets scaled into [-1, 1]
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    return x[order], y[order]
'''


def _loss_code(task: str, loss_name: str) -> str:
    """The engine's loss (core.train.compute_loss) as code on `logits` and `y`."""
    entry = LOSSES[loss_name]
    if entry.labels:
        return code_text(entry, logits="logits", target="y", weight="None", label_smoothing="0.0")
    if task == "classify":  # one-hot targets, as core.registry.float_target makes them
        return code_text(entry, logits="logits", target="F.one_hot(y, CLASSES).float()")
    return code_text(entry, logits="logits.squeeze(-1)", target="y")


def _generator_source(name: str) -> str:
    fn = PG_DATASETS[name].generate
    parts = [inspect.getsource(toy2d._split_counts)] if "_split_counts" in inspect.getsource(fn) else []
    return "\n\n".join(parts + [inspect.getsource(fn)])


def _model_code(config: PlaygroundConfig, outputs: int) -> str:
    lines, size = [], len(config.features)
    for i, (width, act) in enumerate(zip(config.hidden, config.layer_activations()), start=1):
        lines.append(f'    ("fc{i}", nn.Linear({size}, {width})), ("act{i}", {ACTIVATIONS[act].code}),')
        if config.dropout:
            lines.append(f'    ("drop{i}", nn.Dropout({config.dropout:g})),')
        size = width
    lines.append(f'    ("out", nn.Linear({size}, {outputs})),')
    return "model = nn.Sequential(OrderedDict([\n" + "\n".join(lines) + "\n]))"


def generate_script(config: PlaygroundConfig, task: str | None = None, classes: int | None = None,
                    epochs: int = 100) -> str:
    """Python source that trains `config` in plain PyTorch and prints losses per epoch.

    For generated data `task`/`classes` come from the dataset; for an uploaded CSV
    (`config.dataset == "upload"`) pass them, and the script reads the file given by --csv.
    """
    upload = config.dataset == "upload"
    if not upload:
        task = PG_DATASETS[config.dataset].task
        classes = clamp_classes(config.dataset, config.classes) if task == "classify" else 1
    outputs = classes if task == "classify" else 1
    loss_name = config.loss if task == "classify" else "mse"
    l1 = config.reg_rate if config.reg == "l1" else 0.0
    l2 = config.reg_rate if config.reg == "l2" else 0.0
    feature_code = ", ".join(FEATURES[f].code for f in config.features)
    if upload:
        data_code = _CSV_LOADER.replace("TASK", repr(task))
        load_call = "x, y = make_data(args.csv, SEED)"
    else:
        y_dtype = "torch.int64" if task == "classify" else "torch.float32"
        data_code = (f"\n{_generator_source(config.dataset)}\n\n"
                     f"def make_data(n, noise, classes, seed):\n"
                     f'    """{config.dataset}: points in [-{SCALE:g}, {SCALE:g}]^2, shuffled by seed."""\n'
                     f"    rng = np.random.default_rng(seed)\n"
                     f"    x, y = {PG_DATASETS[config.dataset].generate.__name__}(n, noise, classes, rng)\n"
                     f"    order = rng.permutation(n)\n"
                     f"    return (torch.tensor(x[order], dtype=torch.float32) * SCALE,\n"
                     f"            torch.tensor(y[order], dtype={y_dtype}))\n")
        load_call = f"x, y = make_data({config.n_points}, {config.noise:g}, CLASSES, SEED)"
    optimizer = code_text(OPTIMIZERS[config.optimizer], params="model.parameters()", lr="LR",
                          momentum=repr(config.train_config(task).momentum), weight_decay="L2")
    accuracy = ("(logits.argmax(1) == y).float().mean().item()" if task == "classify" else "float('nan')")
    l1_line = ("            loss = loss + L1 * sum(p.abs().sum() for name, p in model.named_parameters() "
               "if 'weight' in name)\n" if l1 else "")
    return f'''"""Neural Playground 2-D setup as plain PyTorch: {config.dataset}, hidden layers {list(config.hidden)}.

Run: python playground_setup.py [--epochs N]{" --csv your_data.csv" if upload else ""}
"""
import argparse
import math
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SCALE = {SCALE:g}          # toy points in [-1, 1] are stretched to [-{SCALE:g}, {SCALE:g}]
SEED = {config.seed}
CLASSES = {outputs}
TRAIN_PCT = {config.train_pct}
BATCH_SIZE = {config.batch_size}
LR = {config.lr:g}
L1 = {l1:g}             # L1 penalty on weights, added to the loss
L2 = {l2:g}             # L2 penalty (weight decay, applied by the optimizer)
{data_code}

def features(x):
    """(N, 2) points → (N, {len(config.features)}) network inputs: {", ".join(config.features)}."""
    return torch.stack([{feature_code}], 1)


def loss_fn(logits, y):
    return {_loss_code(task, loss_name)}


def evaluate(model, inputs, y):
    """Mean loss and accuracy over a whole set, dropout off, no autograd."""
    model.eval()
    with torch.inference_mode():
        logits = model(inputs)
        loss, acc = loss_fn(logits, y).item(), {accuracy}
    model.train()
    return loss, acc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default={epochs})
{'    parser.add_argument("--csv", required=True)' + chr(10) if upload else ""}    args = parser.parse_args()

    {load_call}
    cut = min(max(1, math.floor(len(x) * TRAIN_PCT / 100)), len(x) - 1)
    x_train, y_train, x_test, y_test = features(x[:cut]), y[:cut], features(x[cut:]), y[cut:]

    torch.manual_seed(SEED)  # the initial weights
    {_model_code(config, outputs).replace(chr(10), chr(10) + "    ")}
    optimizer = {optimizer}

    torch.manual_seed(SEED)  # dropout
    shuffle = torch.Generator().manual_seed(SEED)
    model.train()
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(len(x_train), generator=shuffle)
        for i in range(0, len(x_train), BATCH_SIZE):
            idx = order[i:i + BATCH_SIZE]
            logits = model(x_train[idx])
            loss = loss_fn(logits, y_train[idx])
{l1_line}            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        train_loss, train_acc = evaluate(model, x_train, y_train)
        test_loss, test_acc = evaluate(model, x_test, y_test)
        print(f"epoch {{epoch}} train_loss {{train_loss:.6f}} test_loss {{test_loss:.6f}} "
              f"train_acc {{train_acc:.4f}} test_acc {{test_acc:.4f}}")


if __name__ == "__main__":
    main()
'''
