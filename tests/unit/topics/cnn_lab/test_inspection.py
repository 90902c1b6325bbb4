"""What a trained model learned: confusion and friends against scikit-learn / by hand, filters and
feature maps against the layers themselves, image tiling."""
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from sklearn.metrics import confusion_matrix, recall_score
from torch import nn

from core.topics.cnn_lab import inspection as insp
from core.augment import AugmentConfig
from core.models import build_model, default_config


def test_confusion_per_class_and_pairs_match_sklearn():
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 5, (300,), generator=g)
    pred = torch.where(torch.rand(300, generator=g) < 0.7, y, torch.randint(0, 5, (300,), generator=g))
    cm = insp.confusion(y, pred, 5)
    assert np.array_equal(cm, confusion_matrix(y.numpy(), pred.numpy(), labels=range(5)))
    assert np.allclose(insp.per_class_accuracy(cm), recall_score(y.numpy(), pred.numpy(), average=None))
    rows = insp.normalise_rows(cm)
    assert np.allclose(rows.sum(1), 1.0)
    pairs = insp.confused_pairs(cm, k=3)
    off = cm - np.diag(np.diag(cm))
    assert [n for _, _, n in pairs] == sorted(off.ravel(), reverse=True)[:3]
    assert all(a != b and cm[a, b] == n for a, b, n in pairs)


def test_a_class_without_images_gives_nan_accuracy_and_zero_row():
    cm = insp.confusion(torch.tensor([0, 0, 1]), torch.tensor([0, 1, 1]), 3)
    assert np.isnan(insp.per_class_accuracy(cm)[2]) and insp.normalise_rows(cm)[2].sum() == 0
    assert insp.confused_pairs(np.diag([3, 4])) == []  # a perfect model has no confused pairs


def test_misclassified_are_wrong_and_sorted_by_confidence():
    probs = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.3, 0.7]])
    y = torch.tensor([0, 0, 0, 1])
    mistakes = insp.misclassified(probs, y)
    assert [(m.index, m.true, m.pred) for m in mistakes] == [(1, 0, 1), (2, 0, 1)]
    assert mistakes[0].confidence == pytest.approx(0.8)


def test_first_layer_filters_are_the_first_conv_weights_scaled():
    model = build_model(default_config("fast_cnn"))
    filters = insp.first_layer_filters(model, (1, 28, 28))
    w = model.features[0].weight.detach()[:, 0].numpy()  # (24, 5, 5)
    assert filters.shape == (24, 5, 5) and filters.min() >= 0 and filters.max() <= 1
    k = 3
    expected = (w[k] - w[k].min()) / (w[k].max() - w[k].min())
    assert np.allclose(filters[k], expected, atol=1e-6)
    colour = insp.first_layer_filters(build_model(default_config("cifar10_net", in_channels=3, image_size=32)),
                                      (3, 32, 32))
    assert colour.shape == (32, 3, 3, 3)  # (N, h, w, RGB)
    mlp = insp.first_layer_filters(build_model(default_config("mlp")), (1, 28, 28))
    assert mlp.shape == (512, 28, 28)  # one input-sized picture per hidden unit


@pytest.mark.parametrize("arch", ["fast_cnn", "resnet_small"])
def test_feature_maps_are_every_conv_output(arch):
    model = build_model(default_config(arch))
    x = torch.randn(1, 1, 28, 28)
    maps = insp.feature_maps(model, x)
    convs = [name for name, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    assert [name for name, _ in maps] == convs
    first = model.features[0](x)[0].detach().numpy()
    assert np.allclose(maps[0][1], first, atol=1e-5)
    assert insp.feature_maps(build_model(default_config("mlp")), x) == []


def test_mosaic_tiles_images_with_gaps_and_scale():
    tiles = np.stack([np.full((2, 3), v, dtype=np.float32) for v in (0.0, 0.5, 1.0)])
    out = insp.mosaic(tiles, cols=2, scale=2, gap=1, each=False)
    assert out.shape == (2 * (4 + 1) + 1, 2 * (6 + 1) + 1)
    assert np.all(out[1:5, 1:7] == 0.0) and np.all(out[1:5, 8:14] == 0.5) and np.all(out[6:10, 1:7] == 1.0)
    assert np.all(out[6:10, 8:14] == 1.0)  # the unused cell stays white (background)


def test_class_rows_and_augment_preview_shapes():
    y = torch.arange(40) % 4
    x = torch.rand(40, 1, 8, 8)
    rows = insp.class_rows(x, y, 4, per_class=5, scale=1)
    assert len(rows) == 4 and rows[0].shape == (8 + 2, 5 * 9 + 1)
    preview = insp.augment_preview(x, AugmentConfig(crop_padding=2, rotate_deg=10), n=4, repeats=2, scale=1)
    assert preview.shape == (3 * 9 + 1, 4 * 9 + 1)
    assert np.allclose(preview[1:9, 1:9], x[0, 0].numpy())  # the top row is the untouched image


def test_confused_pair_rows_name_the_classes_of_the_pairs():
    cm = np.array([[5, 3, 0], [1, 4, 0], [0, 7, 2]])
    rows = insp.confused_pair_rows(cm, ["a", "b", "c"], ("T", "P", "N"))
    assert rows == [{"T": "c", "P": "b", "N": 7}, {"T": "a", "P": "b", "N": 3}, {"T": "b", "P": "a", "N": 1}]
    assert rows == [{"T": "abc"[a], "P": "abc"[b], "N": n} for a, b, n in insp.confused_pairs(cm)]


def _image_data(n: int = 60, classes: int = 3):
    """Just what the dataset helpers read: normalised training images and their labels."""
    g = torch.Generator().manual_seed(1)
    x01 = torch.rand(n, 1, 6, 6, generator=g)  # (N, C, H, W) in [0, 1]
    mean, std = 0.5, 0.25
    return SimpleNamespace(x_train=(x01 - mean) / std, y_train=torch.arange(n) % classes,
                           classes=[str(c) for c in range(classes)],
                           denormalise=lambda x: x * std + mean), x01


def test_dataset_samples_and_preview_show_the_images_in_their_original_units():
    data, x01 = _image_data()
    rows = insp.dataset_samples(data, seed=3)
    expected = insp.class_rows(x01, data.y_train, 3, seed=3)
    assert len(rows) == 3 and all(np.allclose(r, e, atol=1e-6) for r, e in zip(rows, expected))
    preview = insp.dataset_augment_preview(data, AugmentConfig(crop_padding=1), seed=0, n=4)
    top = preview[1:1 + 12, 1:1 + 12]  # the first tile, scale 2: the untouched first image
    assert np.allclose(top, x01[0, 0].numpy().repeat(2, 0).repeat(2, 1), atol=1e-6)
    assert preview.shape == (4 * 13 + 1, 4 * 13 + 1)  # the image row plus three augmented rows


def test_step_tiles_enlarge_each_step_by_whole_pixels():
    rng = np.random.default_rng(0)
    grey, colour, big = rng.random((28, 28)), rng.random((32, 32, 3)), rng.random((200, 200))
    tiles = insp.step_tiles([("a", grey), ("b", colour), ("c", big)], target=84)
    assert [t.shape for t in tiles] == [(84, 84), (64, 64, 3), (200, 200)]  # 84 // 32 = 2: never blurred
    assert np.allclose(tiles[0][::3, ::3], grey) and np.allclose(tiles[1][1::2, 1::2], colour)
    assert np.allclose(tiles[2], big)
