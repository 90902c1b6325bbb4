"""core/toy2d.py: the 2-D toy sets are shaped, typed, balanced, seeded and clamp their class count."""
import pytest
import torch

from core.toy2d import TOY_DATASETS, make_toy

NAMES = sorted(TOY_DATASETS)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [1, 7, 200])
def test_shapes_and_types(name, n):
    x, y = make_toy(name, n=n, noise=0.1, classes=3, seed=0)
    assert x.shape == (n, 2) and x.dtype == torch.float32
    assert y.shape == (n,) and y.dtype == torch.int64
    assert torch.isfinite(x).all()
    _, low, high = TOY_DATASETS[name]
    assert y.min() >= 0 and y.max() < min(max(3, low), high)


@pytest.mark.parametrize("name", NAMES)
def test_points_roughly_in_unit_square(name):
    x, _ = make_toy(name, n=400, noise=0.0, classes=2, seed=1)
    assert x.abs().max() <= 1.2  # the documented "roughly [-1, 1]^2"
    assert x.abs().max() >= 0.4  # and they actually spread over it


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("classes,n", [(2, 101), (3, 200), (5, 53)])
def test_classes_balanced_as_evenly_as_n_allows(name, classes, n):
    _, low, high = TOY_DATASETS[name]
    k = min(max(classes, low), high)
    _, y = make_toy(name, n=n, classes=classes, seed=2)
    counts = torch.bincount(y, minlength=k)
    assert len(counts) == k
    assert counts.max() - counts.min() <= 1
    assert counts.sum() == n


def test_xor_labels_follow_quadrants_and_quadrants_are_equally_filled():
    x, y = make_toy("xor", n=2002, noise=0.0, seed=3)
    assert torch.equal(y, (x[:, 0] * x[:, 1] < 0).long())
    quadrant = (x[:, 0] > 0).long() * 2 + (x[:, 1] > 0).long()
    counts = torch.bincount(quadrant, minlength=4)
    assert counts.max() - counts.min() <= 1 and x.abs().min() >= 0.05  # margin off the axes


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_by_seed(name):
    a = make_toy(name, n=150, noise=0.2, classes=3, seed=7)
    b = make_toy(name, n=150, noise=0.2, classes=3, seed=7)
    c = make_toy(name, n=150, noise=0.2, classes=3, seed=8)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


@pytest.mark.parametrize("name", NAMES)
def test_noise_moves_points(name):
    clean, y_clean = make_toy(name, n=300, noise=0.0, seed=4)
    noisy, y_noisy = make_toy(name, n=300, noise=0.3, seed=4)
    assert not torch.allclose(clean, noisy)


@pytest.mark.parametrize("name", NAMES)
def test_class_count_clamped_to_the_generator_range(name):
    _, low, high = TOY_DATASETS[name]
    _, y_many = make_toy(name, n=300, classes=50, seed=0)
    _, y_few = make_toy(name, n=300, classes=0, seed=0)
    assert y_many.unique().tolist() == list(range(high))
    assert y_few.unique().tolist() == list(range(low))


def test_shuffled_so_a_prefix_samples_every_class():
    _, y = make_toy("spiral", n=300, classes=3, seed=0)
    assert y[:30].unique().tolist() == [0, 1, 2]


def test_blobs_are_separable_by_their_centres():
    # With little noise, the nearest class centre predicts the label almost always.
    x, y = make_toy("blobs", n=400, noise=0.0, classes=4, seed=5)
    centres = torch.stack([x[y == c].mean(0) for c in range(4)])
    nearest = torch.cdist(x, centres).argmin(1)
    assert (nearest == y).float().mean() > 0.95


def test_circles_inner_ring_is_class_zero():
    x, y = make_toy("circles", n=400, noise=0.0, classes=3, seed=6)
    radius = x.norm(dim=1)
    for c in range(2):
        assert radius[y == c].max() < radius[y == c + 1].min()


def test_unknown_name_is_key_error():
    with pytest.raises(KeyError):
        make_toy("swirl")
