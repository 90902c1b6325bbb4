"""The CNN lab's current setup as one standalone PyTorch script (pytorch/examples' mnist/main.py style).

The model code is generated from the built model itself (core.registry's layer → constructor text),
so it always matches `core.models.build_model`: a test loads our weights into the generated model
and compares outputs, and runs the script for one short epoch on the offline digits.
"""
from torch import nn

from core.topics.cnn_lab.lab import LabSetup, new_model
from core.models import ResidualBlock
from core.registry import LOSSES, OPTIMIZERS, SCHEDULERS, code_text, layer_code

RESIDUAL_CODE = '''
class ResidualBlock(nn.Module):
    """y = act(F(x) + shortcut(x)); F = conv-BN-act-conv-BN; a 1x1 conv shortcut matches shapes."""

    def __init__(self, c_in, c_out, stride, batchnorm, act):
        super().__init__()
        norm = (lambda c: nn.BatchNorm2d(c)) if batchnorm else (lambda c: nn.Identity())
        self.body = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride, 1, bias=not batchnorm), norm(c_out), act(),
            nn.Conv2d(c_out, c_out, 3, 1, 1, bias=not batchnorm), norm(c_out))
        self.shortcut = nn.Identity() if stride == 1 and c_in == c_out else nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, stride, bias=not batchnorm), norm(c_out))
        self.act = act()

    def forward(self, x):
        return self.act(self.body(x) + self.shortcut(x))
'''

DATA_CODE = {
    "digits": '''def load_raw():
    """scikit-learn's 8x8 digits, upscaled to 20x20 and padded to 28x28 like MNIST (offline)."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0  # (1797, 1, 8, 8)
    x = F.pad(F.interpolate(x, size=(20, 20), mode="bilinear", align_corners=False), (4, 4, 4, 4)).clamp(0, 1)
    x = (x * 255).round() / 255  # stored as 8-bit pixels, like MNIST
    y = torch.tensor(digits.target)
    order = torch.tensor(np.random.default_rng(1234).permutation(len(x)))  # fixed test set
    return x[order[360:]], y[order[360:]], x[order[:360]], y[order[:360]]
''',
    **{name: f'''def load_raw():
    """{title} via torchvision (downloads into ./data once), as tensors (N, C, H, W) in [0, 1]."""
    import torchvision
    sets = [torchvision.datasets.{cls}("data", train=t, download=True) for t in (True, False)]
    xs = [torch.as_tensor(s.data).float().div(255) for s in sets]
    xs = [x.permute(0, 3, 1, 2) if x.ndim == 4 else x.unsqueeze(1) for x in xs]  # (N, C, H, W)
    return xs[0], torch.as_tensor(sets[0].targets), xs[1], torch.as_tensor(sets[1].targets)
''' for name, title, cls in (("mnist", "MNIST", "MNIST"), ("fashion_mnist", "Fashion-MNIST", "FashionMNIST"),
                             ("cifar10", "CIFAR-10", "CIFAR10"))},
}

AUGMENT_CODE = '''
def augment(x, generator):
    """Random shift (crop with padding {pad}), {flip_text}rotation (±{rot} degrees) as one affine warp."""
    b, _, h, w = x.shape
    angle = (torch.rand(b, generator=generator) * 2 - 1) * math.radians({rot})
    flip = {flip_expr}
    shift_x = torch.randint(-{pad}, {pad} + 1, (b,), generator=generator).float() * 2 / w
    shift_y = torch.randint(-{pad}, {pad} + 1, (b,), generator=generator).float() * 2 / h
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos * flip, -sin, shift_x], 1), torch.stack([sin * flip, cos, shift_y], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
'''


def _sequential(module: nn.Sequential, indent: str) -> str:
    lines = [f"{indent}    {layer_code(m)}," for m in module]
    return "nn.Sequential(\n" + "\n".join(lines) + f"\n{indent})"


def model_code(setup: LabSetup) -> str:
    """Python source defining `build_model()` for the setup's architecture (plus helper classes)."""
    model = new_model(setup)
    helper = RESIDUAL_CODE if any(isinstance(m, ResidualBlock) for m in model.modules()) else ""
    if isinstance(model, nn.Sequential):  # the MLP
        return f"{helper}\n\ndef build_model():\n    return {_sequential(model, '    ')}\n"
    return f'''{helper}

class Net(nn.Module):
    """Convolutional features, then a classifier on the flattened feature maps."""

    def __init__(self):
        super().__init__()
        self.features = {_sequential(model.features, '        ')}
        self.classifier = {_sequential(model.classifier, '        ')}

    def forward(self, x):  # (B, C, H, W) -> (B, classes) logits
        return self.classifier(self.features(x))


def build_model():
    return Net()
'''


def script(setup: LabSetup) -> str:
    """A complete runnable script: data, model, training loop, test accuracy. `--dry-run` = one short epoch."""
    d, tc, a = setup.data, setup.train, setup.train.augment
    aug = AUGMENT_CODE.format(pad=a.crop_padding, rot=a.rotate_deg, flip_text="flip, " if a.hflip else "",
                              flip_expr=("torch.where(torch.rand(b, generator=generator) < 0.5, -1.0, 1.0)"
                                         if a.hflip else "torch.ones(b)")) if a.active else ""
    optimizer = code_text(OPTIMIZERS[tc.optimizer], params="model.parameters()", lr=repr(tc.lr),
                          momentum=repr(tc.momentum), weight_decay=repr(tc.weight_decay))
    scheduler = code_text(SCHEDULERS[tc.scheduler], lr=repr(tc.lr), step_size=tc.step_size, gamma=repr(tc.gamma))
    loss = code_text(LOSSES["cross_entropy"], logits="model(xb)", target="yb", weight="weight",
                     label_smoothing=repr(tc.label_smoothing))
    eval_loss = code_text(LOSSES["cross_entropy"], logits="logits", target="y", weight="None",
                          label_smoothing=repr(tc.label_smoothing))
    weight = "class_weights(y_train)" if tc.class_weights else "None"
    # optional lines of the loop, each with its own leading newline and indent (empty when off)
    augment_line = "\n            xb = augment(xb, shuffle)" if a.active else ""
    l1_line = ("\n            loss = loss + L1 * sum(p.abs().sum() for name, p in model.named_parameters() "
               "if 'weight' in name)") if tc.l1 else ""
    clip_line = f"\n            nn.utils.clip_grad_norm_(model.parameters(), {tc.grad_clip})" if tc.grad_clip else ""
    return f"""\"\"\"{setup.model.arch} on {d.name}: plain PyTorch, generated by the Neural Playground's CNN lab.

It trains as the page does: the same data split, initial weights, batch order, validation every
EVAL_EVERY steps and at each epoch's end, and early stopping after PATIENCE validations without a
lower validation loss (then back to the best weights).

Run: python this_file.py [--epochs N] [--dry-run]
\"\"\"
import argparse
import copy
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SEED = {setup.seed}            # initial weights
TRAIN_SEED = {tc.seed}      # batch order, augmentation and dropout
BATCH_SIZE = {tc.batch_size}
EVAL_EVERY = {tc.eval_every}       # steps between validations (0: once per epoch)
PATIENCE = {tc.patience}         # early stopping: validations without improvement (0: off)
L1 = {tc.l1!r}
{model_code(setup)}

{DATA_CODE[d.name]}
{aug}
def class_weights(y):
    counts = torch.bincount(y, minlength={setup.model.num_classes}).float()
    return torch.where(counts > 0, counts.sum() / ({setup.model.num_classes} * counts.clamp_min(1)), 0.0)


def evaluate(model, x, y):
    \"\"\"Mean loss and accuracy over a whole set, in eval mode (dropout off, BatchNorm's running statistics).\"\"\"
    model.eval()
    with torch.inference_mode():
        logits = torch.cat([model(x[i:i + 128].contiguous(memory_format=torch.channels_last))
                            for i in range(0, len(x), 128)])
    model.train()
    return {eval_loss}.item(), (logits.argmax(1) == y).float().mean().item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default={tc.epochs})
    parser.add_argument("--dry-run", action="store_true", help="one short epoch (a smoke test)")
    args = parser.parse_args()
    epochs = 1 if args.dry_run else args.epochs

    x_train, y_train, x_test, y_test = load_raw()
    generator = torch.Generator().manual_seed({d.seed})
    order = torch.randperm(len(x_train), generator=generator)
    n_val = round(len(order) * {d.val_fraction})
    val_idx, train_idx = order[:n_val], order[n_val:][:{d.train_size}]
    x_val, y_val, x_train, y_train = x_train[val_idx], y_train[val_idx], x_train[train_idx], y_train[train_idx]
    mean = x_train.mean(dim=(0, 2, 3), keepdim=True)
    std = x_train.std(dim=(0, 2, 3), keepdim=True).clamp_min(1e-6)
    x_train, x_val, x_test = [(x - mean) / std for x in (x_train, x_val, x_test)]  # (N, C, H, W)

    torch.manual_seed(SEED)
    model = build_model().to(memory_format=torch.channels_last)  # faster convolutions on CPU
    torch.manual_seed(TRAIN_SEED)
    shuffle = torch.Generator().manual_seed(TRAIN_SEED)
    steps_per_epoch = math.ceil(len(x_train) / BATCH_SIZE)
    total_steps = min(20, steps_per_epoch) if args.dry_run else steps_per_epoch * epochs
    optimizer = {optimizer}
    scheduler = {scheduler}  # stepped once per training step, as on the page
    weight = {weight}
    best, bad, best_state, step = math.inf, 0, None, 0
    run_loss, run_seen = 0.0, 0
    for epoch in range(1, epochs + 1):
        perm = torch.randperm(len(x_train), generator=shuffle)
        for i in range(0, len(x_train), BATCH_SIZE):
            idx = perm[i:i + BATCH_SIZE]
            xb, yb = x_train[idx], y_train[idx]{augment_line}
            xb = xb.contiguous(memory_format=torch.channels_last)
            loss = {loss}{l1_line}
            optimizer.zero_grad(set_to_none=True)
            loss.backward(){clip_line}
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            step += 1
            run_loss, run_seen = run_loss + loss.item() * len(idx), run_seen + len(idx)
            if i + BATCH_SIZE >= len(x_train) or step >= total_steps or (EVAL_EVERY and step % EVAL_EVERY == 0):
                val_loss, val_acc = evaluate(model, x_val, y_val)
                print(f"step {{step}} (epoch {{epoch}}): train loss {{run_loss / run_seen:.4f}}, "
                      f"val loss {{val_loss:.4f}}, val acc {{val_acc:.2%}}")
                run_loss, run_seen = 0.0, 0
                if val_loss < best - 1e-6:  # remember the best weights: early stopping goes back to them
                    best, bad = val_loss, 0
                    if PATIENCE:
                        best_state = copy.deepcopy(model.state_dict())
                else:
                    bad += 1
                if PATIENCE and bad >= PATIENCE:
                    print(f"early stopping at step {{step}}: back to the weights with val loss {{best:.4f}}")
                    break
            if step >= total_steps:
                break
        if step >= total_steps or (PATIENCE and bad >= PATIENCE):
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    test_loss, test_acc = evaluate(model, x_test, y_test)
    print(f"test loss {{test_loss:.4f}}, test accuracy {{test_acc:.2%}}")


if __name__ == "__main__":
    main()
"""
