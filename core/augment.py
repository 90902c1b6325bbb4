"""Data augmentation as one batched affine warp: random shift (crop with padding), flip, rotation.

All three are expressed as a per-image 2x3 affine matrix and applied with a single
`grid_sample` call on the whole batch, so there is no per-sample Python or PIL work.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class AugmentConfig:
    crop_padding: int = 0      # random shift of up to this many pixels each way (= pad + random crop)
    hflip: bool = False        # mirror left-right with probability 1/2 (not for digits!)
    rotate_deg: float = 0.0    # random rotation in [-rotate_deg, +rotate_deg] degrees

    @property
    def active(self) -> bool:
        """True when at least one transform is switched on."""
        return self.crop_padding > 0 or self.hflip or self.rotate_deg > 0


def augment_batch(x: torch.Tensor, config: AugmentConfig, generator: torch.Generator | None = None) -> torch.Tensor:
    """Randomly transform a batch (B, C, H, W); pixels pulled in from outside repeat the border."""
    if not config.active:
        return x
    b, _, h, w = x.shape
    angle = (torch.rand(b, generator=generator) * 2 - 1) * math.radians(config.rotate_deg)
    flip = torch.ones(b)
    if config.hflip:
        flip = torch.where(torch.rand(b, generator=generator) < 0.5, -1.0, 1.0)
    p = config.crop_padding
    # Whole-pixel shifts in [-p, p]; in grid units one pixel is 2/size (align_corners=False).
    shift_x = torch.randint(-p, p + 1, (b,), generator=generator).float() * 2 / w
    shift_y = torch.randint(-p, p + 1, (b,), generator=generator).float() * 2 / h
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([
        torch.stack([cos * flip, -sin, shift_x], 1),
        torch.stack([sin * flip, cos, shift_y], 1)], 1)  # (B, 2, 3)
    grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
