"""core/augment.py: the batched affine warp does exactly the documented shifts and flips."""
import math

import pytest
import torch

from core.augment import AugmentConfig, augment_batch


def shifted(img: torch.Tensor, dx: int, dy: int) -> torch.Tensor:
    """Reference: out[y, x] = img[clamp(y + dy), clamp(x + dx)] (border pixels repeated)."""
    _, h, w = img.shape
    rows = (torch.arange(h) + dy).clamp(0, h - 1)
    cols = (torch.arange(w) + dx).clamp(0, w - 1)
    return img[:, rows][:, :, cols]


def random_images(b=64, c=3, h=20, w=24, seed=0):
    return torch.rand(b, c, h, w, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("p", [1, 3])
def test_crop_padding_is_a_whole_pixel_shift_with_border_repeat(p):
    x = random_images()  # non-square on purpose: x and y shifts use their own sizes
    out = augment_batch(x, AugmentConfig(crop_padding=p), torch.Generator().manual_seed(1))
    assert out.shape == x.shape and out.dtype == x.dtype
    used = set()
    for img, aug in zip(x, out):
        matches = [(dx, dy) for dx in range(-p, p + 1) for dy in range(-p, p + 1)
                   if torch.allclose(aug, shifted(img, dx, dy), atol=1e-5, rtol=0)]
        assert len(matches) == 1, "each output must be exactly one shift of its input"
        used.add(matches[0])
    # Over 64 images the shifts really vary, both ways and in both directions.
    assert len(used) >= min(10, (2 * p + 1) ** 2 - 2)
    assert {dx for dx, _ in used} == set(range(-p, p + 1))
    assert {dy for _, dy in used} == set(range(-p, p + 1))


def test_hflip_only_mirrors():
    x = random_images(b=40)
    out = augment_batch(x, AugmentConfig(hflip=True), torch.Generator().manual_seed(2))
    flipped = 0
    for img, aug in zip(x, out):
        same = torch.allclose(aug, img, atol=1e-5, rtol=0)
        mirrored = torch.allclose(aug, img.flip(-1), atol=1e-5, rtol=0)
        assert same != mirrored  # exactly one of the two
        flipped += mirrored
    assert 10 <= flipped <= 30  # probability 1/2


def test_rotation_keeps_the_centre_and_rotates_the_grid():
    # The angle is random; check what does not depend on it: rotation is about the image centre,
    # bilinear resampling stays within the input's range, and the image does change.
    x = random_images(b=8, c=1, h=21, w=21)
    out = augment_batch(x, AugmentConfig(rotate_deg=30), torch.Generator().manual_seed(3))
    assert out.shape == x.shape
    assert out.min() >= x.min() - 1e-6 and out.max() <= x.max() + 1e-6  # bilinear never overshoots
    torch.testing.assert_close(out[:, :, 10, 10], x[:, :, 10, 10], atol=1e-5, rtol=0)  # centre stays
    assert not torch.allclose(out, x)


def test_rotation_of_a_line_by_angle():
    # A horizontal bar rotated by θ: the bright pixels lie on a line of slope tan(θ) through the centre.
    x = torch.zeros(1, 1, 41, 41)
    x[0, 0, 20, 5:36] = 1.0
    gen = torch.Generator().manual_seed(4)
    out = augment_batch(x, AugmentConfig(rotate_deg=40), gen)
    ys, xs = torch.nonzero(out[0, 0] > 0.5, as_tuple=True)
    assert len(ys) > 15
    slope = torch.linalg.lstsq(torch.stack([xs.float() - 20, torch.ones_like(xs, dtype=torch.float)], 1),
                               (ys.float() - 20).unsqueeze(1)).solution[0].item()
    angle = math.degrees(math.atan(slope))
    assert 1 < abs(angle) <= 40.5  # rotated, within the configured range


def test_same_generator_seed_same_output():
    x = random_images(b=16)
    config = AugmentConfig(crop_padding=2, hflip=True, rotate_deg=15)
    a = augment_batch(x, config, torch.Generator().manual_seed(7))
    b = augment_batch(x, config, torch.Generator().manual_seed(7))
    c = augment_batch(x, config, torch.Generator().manual_seed(8))
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


def test_inactive_config_returns_input_unchanged():
    x = random_images(b=4)
    config = AugmentConfig()
    assert not config.active
    gen = torch.Generator().manual_seed(0)
    state = gen.get_state()
    out = augment_batch(x, config, gen)
    assert out is x
    assert torch.equal(gen.get_state(), state)  # and draws no random numbers


@pytest.mark.parametrize("config", [AugmentConfig(crop_padding=1), AugmentConfig(hflip=True),
                                    AugmentConfig(rotate_deg=5.0)])
def test_each_transform_activates(config):
    assert config.active


def test_input_not_modified_in_place():
    x = random_images(b=4)
    before = x.clone()
    augment_batch(x, AugmentConfig(crop_padding=2, hflip=True, rotate_deg=10), torch.Generator().manual_seed(0))
    assert torch.equal(x, before)
