"""The 2-D playground's datasets: shapes, dtypes, class balance, determinism, split, regression targets."""
import pytest
import torch

from core import toy2d
from core.topics.playground.datasets import PG_DATASETS, SCALE, clamp_classes, make_dataset, split

CLASSIFY = [n for n, d in PG_DATASETS.items() if d.task == "classify"]
REGRESS = [n for n, d in PG_DATASETS.items() if d.task == "regress"]


@pytest.mark.parametrize("name", list(PG_DATASETS))
def test_shapes_dtypes_and_range(name):
    x, y = make_dataset(name, n=301, noise=0.05, classes=3, seed=1)
    assert x.shape == (301, 2) and x.dtype == torch.float32
    assert y.shape == (301,)
    assert torch.isfinite(x).all()
    assert x.abs().max() < SCALE * 1.6  # points stay near [-SCALE, SCALE]^2
    assert y.dtype == (torch.int64 if PG_DATASETS[name].task == "classify" else torch.float32)


@pytest.mark.parametrize("name", list(PG_DATASETS))
def test_same_seed_same_points_other_seed_other_points(name):
    a, b, c = (make_dataset(name, 200, 0.1, 2, seed) for seed in (7, 7, 8))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


@pytest.mark.parametrize("name", CLASSIFY)
@pytest.mark.parametrize("classes", [2, 3, 5])
def test_classes_are_balanced(name, classes):
    k = clamp_classes(name, classes)
    _, y = make_dataset(name, n=403, noise=0.0, classes=classes, seed=0)
    counts = torch.bincount(y, minlength=k)
    assert len(counts) == k
    if name == "xor":  # labels come from uniformly drawn quadrants: balanced only in expectation
        assert counts.min() >= 0.4 * 403
    else:
        assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", CLASSIFY)
def test_classification_sets_are_toy2d_scaled(name):
    """The playground does not fork the shared generators: same points as core.toy2d, times SCALE."""
    x, y = make_dataset(name, 150, 0.1, 2, seed=3)
    tx, ty = toy2d.make_toy(name, 150, 0.1, 2, seed=3)
    assert torch.allclose(x, tx * SCALE) and torch.equal(y, ty)


def test_xor_labels_follow_quadrants_without_noise():
    x, y = make_dataset("xor", 400, 0.0, 2, seed=0)
    assert torch.equal(y, (x[:, 0] * x[:, 1] < 0).long())


def test_regression_targets():
    x, y = make_dataset("reg_plane", 500, 0.0, 1, seed=0)
    assert torch.allclose(y, (x[:, 0] + x[:, 1]) / (2 * SCALE), atol=1e-5)
    for name in REGRESS:
        _, y = make_dataset(name, 500, 0.3, 1, seed=0)
        assert y.min() >= -1 and y.max() <= 1 and y.std() > 0.05


def test_split_keeps_order_and_both_sides():
    x, y = make_dataset("circles", 100, 0.0, 2, seed=0)
    xt, yt, xs, ys = split(x, y, 70)
    assert len(xt) == 70 and len(xs) == 30 and torch.equal(torch.cat([xt, xs]), x)
    assert len(split(x[:3], y[:3], 10)[2]) == 2 and len(split(x[:3], y[:3], 90)[2]) == 1
