"""What a trained image classifier learned: confusion, per-class accuracy, its mistakes, its filters
and the feature maps of every convolution. Plain tensors/arrays in, plain arrays out.

(Named cnn_inspect, not inspect, so it can never shadow the standard library's `inspect`.)
"""
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.probe import probe


def confusion(y_true: torch.Tensor, y_pred: torch.Tensor, num_classes: int) -> np.ndarray:
    """Counts (classes, classes): row = true class, column = predicted class."""
    flat = y_true.long() * num_classes + y_pred.long()
    return torch.bincount(flat, minlength=num_classes ** 2).reshape(num_classes, num_classes).numpy()


def normalise_rows(cm: np.ndarray) -> np.ndarray:
    """Each row divided by its total (share of a true class predicted as each class); empty rows stay 0."""
    totals = cm.sum(1, keepdims=True)
    return np.divide(cm, totals, out=np.zeros(cm.shape, dtype=float), where=totals > 0)


def per_class_accuracy(cm: np.ndarray) -> np.ndarray:
    """Recall of each class: correct / images of that class (NaN for a class with no images)."""
    totals = cm.sum(1)
    return np.where(totals > 0, np.diag(cm) / np.maximum(totals, 1), np.nan)


def confused_pairs(cm: np.ndarray, k: int = 5) -> list[tuple[int, int, int]]:
    """The k largest off-diagonal cells as (true class, predicted class, count), count > 0 only."""
    off = cm.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(off, axis=None)[::-1][:k]
    pairs = [(int(i // cm.shape[1]), int(i % cm.shape[1]), int(off.flat[i])) for i in order]
    return [p for p in pairs if p[2] > 0]


@dataclass(frozen=True)
class Mistake:
    index: int                       # position in the test split
    true: int
    pred: int
    confidence: float                # probability the model gave its (wrong) prediction


def misclassified(probs: torch.Tensor, y_true: torch.Tensor, k: int = 24) -> list[Mistake]:
    """The k wrong predictions the model was most sure of (most instructive first)."""
    conf, pred = probs.max(1)  # (N,), (N,)
    wrong = torch.nonzero(pred != y_true).flatten()
    wrong = wrong[conf[wrong].argsort(descending=True)][:k]
    return [Mistake(int(i), int(y_true[i]), int(pred[i]), float(conf[i])) for i in wrong]


def first_layer_filters(model: nn.Module, image_shape: tuple[int, int, int]) -> np.ndarray | None:
    """The first layer's weights as small images (N, h, w) or (N, h, w, 3), scaled to [0, 1] each.

    A Conv2d gives its kernels; an MLP's first Linear layer gives one input-sized image per unit
    (what each hidden unit "looks for"). None when the model has neither.
    """
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            w = module.weight.detach()  # (out, in, kh, kw)
            break
        if isinstance(module, nn.Linear):
            w = module.weight.detach().reshape(-1, *image_shape)  # (units, C, H, W)
            break
    else:
        return None
    w = w[:, :3] if w.shape[1] >= 3 else w[:, :1]
    lo = w.amin(dim=(1, 2, 3), keepdim=True)
    hi = w.amax(dim=(1, 2, 3), keepdim=True)
    w = ((w - lo) / (hi - lo).clamp_min(1e-12)).numpy()
    return w.transpose(0, 2, 3, 1) if w.shape[1] == 3 else w[:, 0]


def feature_maps(model: nn.Module, x: torch.Tensor) -> list[tuple[str, np.ndarray]]:
    """(layer name, maps (C, H, W)) for the output of every Conv2d, for one image x (1, C, H, W)."""
    _, convs = probe(model, x.contiguous(), lambda name, module: isinstance(module, nn.Conv2d))
    return [(c.name, c.output[0].numpy()) for c in convs]


def mosaic(images: np.ndarray, cols: int, scale: int = 1, gap: int = 1, each: bool = True) -> np.ndarray:
    """Tile (N, h, w) or (N, h, w, 3) images into one picture with a `gap`-pixel border.

    `each` rescales every tile to [0, 1] on its own (feature maps); pixels are repeated `scale`
    times so tiny tiles stay crisp when the browser enlarges them.
    """
    imgs = np.asarray(images, dtype=np.float32)
    if each:
        lo = imgs.reshape(len(imgs), -1).min(1).reshape(-1, *[1] * (imgs.ndim - 1))
        hi = imgs.reshape(len(imgs), -1).max(1).reshape(-1, *[1] * (imgs.ndim - 1))
        imgs = (imgs - lo) / np.maximum(hi - lo, 1e-12)
    imgs = imgs.repeat(scale, axis=1).repeat(scale, axis=2)
    n, h, w = imgs.shape[:3]
    rows = -(-n // cols)
    out = np.ones((rows * (h + gap) + gap, cols * (w + gap) + gap) + imgs.shape[3:], dtype=np.float32)
    for i, img in enumerate(imgs):
        r, c = divmod(i, cols)
        out[gap + r * (h + gap): gap + r * (h + gap) + h, gap + c * (w + gap): gap + c * (w + gap) + w] = img
    return out


def display_images(x01: torch.Tensor) -> np.ndarray:
    """A batch (N, C, H, W) in [0, 1] → (N, H, W) grey or (N, H, W, 3) colour arrays for display."""
    arr = x01.detach().numpy()
    return arr[:, 0] if arr.shape[1] == 1 else arr.transpose(0, 2, 3, 1)


def samples_per_class(y: torch.Tensor, num_classes: int, per_class: int, seed: int = 0) -> torch.Tensor:
    """Indices (classes * per_class,) of random examples, grouped by class (fewer if a class is rare)."""
    generator = torch.Generator().manual_seed(seed)
    picked = []
    for c in range(num_classes):
        idx = torch.nonzero(y == c).flatten()
        picked.append(idx[torch.randperm(len(idx), generator=generator)[:per_class]])
    return torch.cat(picked)


def class_rows(x01: torch.Tensor, y: torch.Tensor, num_classes: int, per_class: int = 8, seed: int = 0,
               scale: int = 2) -> list[np.ndarray]:
    """One strip of `per_class` random examples per class, from images (N, C, H, W) in [0, 1]."""
    idx = samples_per_class(y, num_classes, per_class, seed)
    labels = y[idx]
    return [mosaic(display_images(x01[idx[labels == c]]), per_class, scale, each=False)
            for c in range(num_classes) if (labels == c).any()]


def augment_preview(x01: torch.Tensor, augment, n: int = 8, repeats: int = 3, seed: int = 0,
                    scale: int = 2) -> np.ndarray:
    """First row: n images (N, C, H, W) in [0, 1]; each next row: the same images augmented afresh."""
    from core.augment import augment_batch

    generator = torch.Generator().manual_seed(seed)
    batch = x01[:n]
    rows = [batch] + [augment_batch(batch, augment, generator) for _ in range(repeats)]
    return mosaic(display_images(torch.cat(rows).clamp(0, 1)), n, scale, each=False)


def mistake_tiles(probs: torch.Tensor, data, k: int = 24, scale: int = 3) -> list[tuple[np.ndarray, str, str, float]]:
    """The k most confident mistakes on `data`'s test split as (image, true name, predicted name, confidence)."""
    mistakes = misclassified(probs, data.y_test, k)
    if not mistakes:
        return []
    shown = display_images(data.denormalise(data.x_test[[m.index for m in mistakes]]))
    return [(mosaic(img[None], 1, scale, 0, False), data.classes[m.true], data.classes[m.pred], m.confidence)
            for img, m in zip(shown, mistakes)]


def filter_tile(model: nn.Module, image_shape: tuple[int, int, int], max_filters: int = 32) -> np.ndarray | None:
    """The first layer's filters as one picture (None when the model has neither conv nor linear layers)."""
    filters = first_layer_filters(model, image_shape)
    if filters is None:
        return None
    return mosaic(filters[:max_filters], 16, 8 if filters.shape[1] < 10 else 2, 1, False)


def feature_map_tiles(model: nn.Module, data, index: int, max_channels: int = 16) -> list[tuple[np.ndarray, str]]:
    """Test image `index`, then the first `max_channels` maps of every conv layer, as (picture, caption)."""
    x = data.x_test[index:index + 1]  # (1, C, H, W)
    tiles = [(mosaic(display_images(data.denormalise(x)), 1, 4, 0, False), data.classes[int(data.y_test[index])])]
    for name, maps in feature_maps(model, x):
        tiles.append((mosaic(maps[:max_channels], 16, max(1, 56 // maps.shape[-1])), f"{name}: {maps.shape}"))
    return tiles


def confused_pair_rows(cm: np.ndarray, classes: list[str], headers: tuple[str, str, str],
                       k: int = 5) -> list[dict]:
    """The `confused_pairs` as table rows {true header: name, predicted header: name, count header: n}."""
    true_h, pred_h, count_h = headers
    return [{true_h: classes[a], pred_h: classes[b], count_h: n} for a, b, n in confused_pairs(cm, k)]


def dataset_samples(data, seed: int = 0, pool: int = 2000) -> list[np.ndarray]:
    """`class_rows` of an ImageData's first `pool` training images (enough for every class, quick to draw)."""
    return class_rows(data.denormalise(data.x_train[:pool]), data.y_train[:pool], len(data.classes), seed=seed)


def dataset_augment_preview(data, augment, seed: int = 0, n: int = 8) -> np.ndarray:
    """`augment_preview` of an ImageData's first `n` training images, back in [0, 1] units."""
    return augment_preview(data.denormalise(data.x_train[:n]), augment, n=n, seed=seed)


def step_tiles(steps: list[tuple[str, np.ndarray]], target: int = 84) -> list[np.ndarray]:
    """Each preprocessing step's image (H, W) or (H, W, 3), enlarged by whole pixels to about `target` px."""
    return [mosaic(img[None], 1, max(1, target // img.shape[0]), 0, False) for _, img in steps]
