"""Uploaded images and canvas drawings → model inputs, safely.

Two stages:
1. `read_image(bytes)` decodes an untrusted upload into float32 RGB (H, W, 3) in [0, 1], or raises
   `BadImage` with a sentence saying what is wrong and what to do (its key in
   core/locales/images.py; `error.message(lang)` in the learner's language).
2. `prepare_digit` / `prepare_rgb` turn that array into a model input and keep every intermediate
   image (`PreparedImage.steps`) so a page can show the preprocessing a learner would otherwise
   never see. `canvas_to_image` turns a streamlit-drawable-canvas result into the same array.

Pillow facts this module is built around (GUIDE §6): `Image.open` is lazy and only reads the header,
so the size is checked *before* any pixel is decoded; `verify()` passes truncated files, `load()`
does not; Pillow only *warns* above its own pixel limit, so we apply a lower one ourselves and turn
its warning into an error; a 16-bit image saturates if converted to 8 bit naively; transparency
must be composited onto a background.
"""
import io
import re
import warnings
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import BadImage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024           # larger files are refused before decoding
MAX_IMAGE_PIXELS = 25_000_000                 # width * height above this is refused as a (decompression) bomb
MIN_IMAGE_SIDE = 4                            # smaller images carry no usable digit or object
MAX_ASPECT_RATIO = 20                         # longer / shorter side above this: a strip, not a picture
MAX_WORKING_SIDE = 1024                       # bigger images are shrunk first (our models see 28-32 px)
ACCEPTED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
UPLOAD_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff")  # file names the uploader offers
MNIST_BOX = 20 / 28                           # MNIST digits fill a 20x20 box inside 28x28
INK_MIN_CONTRAST = 0.2                        # ink must differ this much from the background (0-1 scale)
INK_THRESHOLD = 0.15                          # after levels, pixels above this count as ink for the crop
_WHITE = np.ones(3, dtype=np.float32)
_HIGH_DEPTH_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")
_RESAMPLABLE_MODES = ("L", "LA", "RGB", "RGBA", "CMYK")  # Pillow resamples these with the filter asked

# Formats people often try that we deliberately do not decode: leading bytes → name for the message.
_OTHER_FORMATS: list[tuple[bytes, int, str]] = [  # (signature, offset, name)
    (b"%PDF", 0, "PDF"),
    (b"<svg", 0, "SVG"),
    (b"ftypheic", 4, "HEIC"), (b"ftypheix", 4, "HEIC"), (b"ftypmif1", 4, "HEIC"),
    (b"ftypavif", 4, "AVIF"),
    (b"8BPS", 0, "Photoshop (PSD)"),
    (b"\x00\x00\x01\x00", 0, "ICO"),
    (b"%!PS", 0, "PostScript"),
]


# ---------------------------------------------------------------- decoding an upload

def read_image(data: bytes) -> np.ndarray:
    """Decode an uploaded image to float32 RGB (H, W, 3) in [0, 1]; BadImage if it cannot be used."""
    return read_image_with_notes(data)[0]


def read_image_with_notes(data: bytes) -> tuple[np.ndarray, list[str]]:
    """Like `read_image`, plus notes on what was done (i18n keys such as "img_note_first_frame").

    Transparent areas become white (a drawing on a transparent background), 16-bit images are
    scaled from their full range, animations give their first frame, EXIF orientation is applied,
    and images larger than MAX_WORKING_SIDE are shrunk (antialiased).
    """
    data = _checked_bytes(data)
    notes: list[str] = []
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; make that an error (our own, lower
        # limit below is the real guard: catch_warnings is process-wide, not per thread).
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)  # "palette with transparency ..." chatter
        source = _open(data)
        try:
            _check_dimensions(*source.size)
            if _is_animated(source):
                notes.append("img_note_first_frame")  # open() leaves us on frame 0
            _decode(source)
            rgb = _convert(source, notes)  # (H, W, 3)
        finally:
            source.close()
    return rgb, notes


def _checked_bytes(data) -> bytes:
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"read_image expects bytes, got {type(data).__name__}")
    if not data:
        raise BadImage("img_empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise BadImage("img_too_many_bytes", size_mb=len(data) / 2**20, limit_mb=MAX_UPLOAD_BYTES / 2**20)
    return data


def _sniff_other_format(data: bytes) -> str | None:
    """Name a common non-accepted format from its leading bytes (for a more helpful message)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    for signature, offset, name in _OTHER_FORMATS:
        if head[offset:offset + len(signature)] == signature:
            return name
    if head.startswith(b"<?xml") and b"<svg" in head:
        return "SVG"
    return None


def _open(data: bytes) -> Image.Image:
    """Identify the file among ACCEPTED_FORMATS only (reads the header, decodes no pixels)."""
    try:
        return Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except UnidentifiedImageError:
        other = _sniff_other_format(data)
        if other:
            raise BadImage("img_unsupported_format", kind=other) from None
        raise BadImage("img_not_image", formats=", ".join(ACCEPTED_FORMATS)) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own check fired inside open(): its message holds the pixel count.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _bomb(int(found.group(1)) if found else 2 * (Image.MAX_IMAGE_PIXELS or 0)) from exc
    except Exception as exc:  # a malformed header can raise almost anything inside a plugin
        raise BadImage("img_damaged") from exc


def _bomb(pixels: int) -> BadImage:
    return BadImage("img_too_many_pixels", megapixels=pixels / 1e6, limit=MAX_IMAGE_PIXELS / 1e6)


def _is_animated(image: Image.Image) -> bool:
    try:
        return bool(getattr(image, "is_animated", False))  # GIF looks for a second frame
    except Exception:  # a damaged later frame does not matter: we only use the first
        return False


def _check_dimensions(width: int, height: int) -> None:
    """Refuse bombs, specks and strips from the header alone, before decoding."""
    if width * height > MAX_IMAGE_PIXELS:
        raise _bomb(width * height)
    if min(width, height) < MIN_IMAGE_SIDE:
        raise BadImage("img_too_small", width=width, height=height, min_side=MIN_IMAGE_SIDE)
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise BadImage("img_too_thin", width=width, height=height)


def _decode(image: Image.Image) -> None:
    """Decode the pixels (a big JPEG at a reduced scale); truncated or corrupt data → BadImage."""
    longer = max(image.size)
    if longer > MAX_WORKING_SIDE:
        # JPEG can decode at 1/2, 1/4, 1/8 scale for free: ask for at least the working size.
        scale = MAX_WORKING_SIDE / longer
        image.draft(None, (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(image.width * image.height) from exc
    except MemoryError as exc:
        raise _bomb(image.width * image.height) from exc
    except OSError as exc:
        # Pillow says "image file is truncated"; "broken data stream" is corrupt data, not a short file.
        raise BadImage("img_truncated" if "truncated" in str(exc).lower() else "img_damaged") from exc
    except Exception as exc:  # SyntaxError, ValueError, struct.error... from a corrupt body
        raise BadImage("img_damaged") from exc


def _convert(image: Image.Image, notes: list[str]) -> np.ndarray:
    """Upright, shrunk, float RGB; a Pillow limitation on an odd mode becomes a BadImage, not a crash."""
    mode = image.mode
    try:
        return _to_float_rgb(_upright(image, notes), notes)
    except BadImage:
        raise
    except MemoryError as exc:
        raise _bomb(image.width * image.height) from exc
    except Exception as exc:
        raise BadImage("img_mode_unsupported", mode=mode) from exc


def _upright(image: Image.Image, notes: list[str]) -> Image.Image:
    """Apply the EXIF orientation tag (phones store photos sideways and set this tag)."""
    try:
        orientation = image.getexif().get(0x0112, 1)
        if orientation in (2, 3, 4, 5, 6, 7, 8):
            image = ImageOps.exif_transpose(image)
            notes.append("img_note_rotated")
    except Exception:  # an unreadable EXIF block: keep the pixels as stored rather than refuse
        pass
    return image


def _shrink(image: Image.Image, notes: list[str]) -> Image.Image:
    """Antialiased shrink so the longer side is at most MAX_WORKING_SIDE (keeps memory bounded)."""
    longer = max(image.size)
    if longer <= MAX_WORKING_SIDE:
        return image
    scale = MAX_WORKING_SIDE / longer
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    notes.append("img_note_shrunk")
    # Pillow resamples RGBA/LA with premultiplied alpha, so transparent colours do not bleed.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _to_float_rgb(image: Image.Image, notes: list[str]) -> np.ndarray:
    """Any decoded mode → float32 RGB (H, W, 3) in [0, 1], transparency composited onto white."""
    mode = image.mode
    if mode in _HIGH_DEPTH_MODES:
        return _high_depth_grey(image, notes)
    if mode == "CMYK":
        notes.append("img_note_cmyk")
    has_alpha = "A" in mode or "a" in mode or "transparency" in image.info
    if mode in _RESAMPLABLE_MODES and "transparency" not in image.info:
        # Shrink in the stored mode first: converting a big image first would copy it at full size.
        # (Not for "P"/"1": Pillow resizes those with NEAREST; not with a transparent colour key.)
        image = _shrink(image, notes)
    target = "RGBA" if has_alpha else "RGB"
    try:
        image = image if image.mode == target else image.convert(target)
    except Exception as exc:  # e.g. LAB or HSV without a colour-management profile
        raise BadImage("img_mode_unsupported", mode=mode) from exc
    image = _shrink(image, notes)  # no-op unless it was a palette / 1-bit / colour-keyed image
    pixels = np.asarray(image, dtype=np.float32) / 255.0  # (H, W, 3 or 4)
    if not has_alpha:
        return np.ascontiguousarray(pixels)
    rgb, alpha = pixels[..., :3], pixels[..., 3:]  # (H, W, 3), (H, W, 1)
    if alpha.min() < 1.0:
        notes.append("img_note_transparent")
    return np.ascontiguousarray(rgb * alpha + _WHITE * (1.0 - alpha), dtype=np.float32)


def _high_depth_grey(image: Image.Image, notes: list[str]) -> np.ndarray:
    """16/32-bit or float grey → [0, 1] from its bit depth (a naive 8-bit convert clips at 255)."""
    if image.mode.startswith("I;16"):
        low, high = 0, 65535  # (getextrema() does not even support I;16B)
    else:
        low, high = image.getextrema()
        if image.mode == "F" and 0 <= low and high <= 1:
            low, high = 0, 1
        elif low >= 0:
            # A 32-bit container does not say how many bits are used: take the smallest depth that fits.
            low, high = 0, next((full for full in (255, 65535) if high <= full), high)
    notes.append("img_note_high_depth")
    if image.mode.startswith("I;16") and max(image.size) > MAX_WORKING_SIDE:
        image = image.convert("I")  # Pillow cannot shrink I;16 by reduce(); 32-bit "I" it can
    grey = np.asarray(_shrink(image, notes)).astype(np.float32)  # (H, W)
    grey = np.nan_to_num((grey - low) / max(float(high - low), 1e-12), nan=0.0, posinf=1.0, neginf=0.0)
    return np.repeat(np.clip(grey, 0.0, 1.0)[..., None], 3, axis=2)  # (H, W, 3)


# ---------------------------------------------------------------- canvas drawings

def _colour(value) -> np.ndarray:
    """'#rgb' / '#rrggbb' or an RGB triple (0-1 floats or 0-255 ints) → float32 (3,) in [0, 1]."""
    if isinstance(value, str):
        hex_digits = value.lstrip("#")
        if len(hex_digits) == 3:
            hex_digits = "".join(c * 2 for c in hex_digits)
        return np.array([int(hex_digits[i:i + 2], 16) for i in (0, 2, 4)], dtype=np.float32) / 255.0
    triple = np.asarray(value, dtype=np.float32)[:3]
    return triple / 255.0 if triple.max() > 1.0 else triple


def canvas_to_image(rgba: np.ndarray, background="#000000") -> np.ndarray:
    """A drawable-canvas result (H, W, 4) uint8 → float32 RGB (H, W, 3) in [0, 1].

    The canvas returns only the strokes, with transparent pixels elsewhere; they are composited
    onto `background` (hex string or RGB triple; default black, as the CNN lab draws white on black).
    """
    if rgba is None:
        raise BadImage("img_no_drawing")
    pixels = np.asarray(rgba)
    if pixels.ndim != 3 or pixels.shape[2] not in (3, 4) or min(pixels.shape[:2]) < 1:
        raise BadImage("img_bad_canvas", shape=tuple(pixels.shape))
    scale = 255.0 if pixels.dtype == np.uint8 or pixels.max() > 1.0 else 1.0
    pixels = np.nan_to_num(pixels.astype(np.float32) / scale).clip(0.0, 1.0)  # (H, W, 3 or 4)
    if pixels.shape[2] == 3:
        return np.ascontiguousarray(pixels)
    rgb, alpha = pixels[..., :3], pixels[..., 3:]
    return np.ascontiguousarray(rgb * alpha + _colour(background) * (1.0 - alpha), dtype=np.float32)


def drawn_image(rgba: np.ndarray | None) -> np.ndarray | None:
    """What the learner drew on the black canvas as RGB (H, W, 3) in [0, 1]; None while it has no ink.

    The canvas reports an all-black (or no) image before the first stroke: predicting on that would
    only show a confident guess about nothing.
    """
    if rgba is None or np.asarray(rgba)[..., :3].max() <= 0:
        return None
    return canvas_to_image(rgba)


# ---------------------------------------------------------------- model inputs

@dataclass
class PreparedImage:
    """A model input and the images of each preprocessing step (for showing the pipeline)."""
    tensor: torch.Tensor                    # (C, size, size) float32 in [0, 1]
    steps: list[tuple[str, np.ndarray]]     # (step name, image (H, W) or (H, W, 3) in [0, 1]);
                                            # its label is t("img_step_" + name)
    inverted: bool                          # True if the colours were flipped (dark digit on light background)


def _as_float_image(image: np.ndarray) -> np.ndarray:
    """Check and normalise an input array to float32 (H, W, 3) or (H, W) in [0, 1]."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError(f"expected an image (H, W) or (H, W, 3), got shape {image.shape}")
    if min(image.shape[:2]) < 1:
        raise BadImage("img_too_small", width=image.shape[1], height=image.shape[0], min_side=1)
    scale = 255.0 if image.dtype == np.uint8 else 1.0
    return np.nan_to_num(image.astype(np.float32) / scale).clip(0.0, 1.0)


def _resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Antialiased bilinear resize of (H, W) or (H, W, C) float32 (no overshoot, unlike Lanczos)."""
    x = torch.from_numpy(np.ascontiguousarray(image))
    x = x[None, None] if x.ndim == 2 else x.permute(2, 0, 1)[None]  # (1, C, H, W)
    x = F.interpolate(x, size=(height, width), mode="bilinear", antialias=True, align_corners=False)
    x = x[0, 0] if image.ndim == 2 else x[0].permute(1, 2, 0)  # (h, w) or (h, w, C)
    return x.clamp(0, 1).numpy()


def border_median(grey: np.ndarray) -> float:
    """Median of a thin frame round the image: the background level, robust to ink touching an edge."""
    width = max(1, min(grey.shape) // 20)
    frame = np.concatenate([grey[:width].ravel(), grey[-width:].ravel(),
                            grey[:, :width].ravel(), grey[:, -width:].ravel()])
    return float(np.median(frame))


def _centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    rows, cols = np.indices(image.shape)
    mass = image.sum()
    return float((rows * image).sum() / mass), float((cols * image).sum() / mass)


def prepare_digit(image: np.ndarray, size: int = 28) -> PreparedImage:
    """MNIST's own preprocessing, step by step: a digit image → tensor (1, size, size) in [0, 1].

    grey → invert if the background is bright (MNIST digits are white on black) → crop to the
    ink's bounding box → scale so the longer side is 20 px (of 28; aspect kept, antialiased) →
    paste into a black size x size canvas with the centre of mass at the centre. A blank image
    raises BadImage ("draw or upload a digit ...").
    """
    image = _as_float_image(image)
    grey = image if image.ndim == 2 else image @ np.array([0.299, 0.587, 0.114], dtype=np.float32)  # (H, W)
    steps: list[tuple[str, np.ndarray]] = [("grey", grey)]
    inverted = border_median(grey) > 0.5
    ink = 1.0 - grey if inverted else grey
    if inverted:
        steps.append(("inverted", ink))

    # Levels: background → 0, brightest ink → 1 (photos of paper are grey, not black, once inverted).
    background, peak = border_median(ink), float(ink.max())
    if peak - background < INK_MIN_CONTRAST:
        raise BadImage("img_no_ink")
    ink = np.clip((ink - background) / (peak - background), 0.0, 1.0)
    rows, cols = np.nonzero(ink > INK_THRESHOLD)
    cropped = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]  # (h, w)
    steps.append(("cropped", cropped))

    box = max(1, round(MNIST_BOX * size))
    scale = box / max(cropped.shape)
    height, width = (max(1, min(box, round(side * scale))) for side in cropped.shape)
    resized = _resize(cropped, height, width)  # (height, width)
    resized = resized / max(float(resized.max()), 1e-6)  # shrinking thin strokes dims them: restore full ink
    steps.append(("resized", resized))

    # Whole-pixel shift putting the centre of mass at (size/2, size/2) (MNIST's mean is (14.0, 14.0)),
    # clamped so no ink falls off the canvas.
    row, col = _centre_of_mass(resized)
    top = int(np.clip(round(size / 2 - row), 0, size - height))
    left = int(np.clip(round(size / 2 - col), 0, size - width))
    centred = np.zeros((size, size), dtype=np.float32)
    centred[top:top + height, left:left + width] = resized
    steps.append(("centred", centred))
    return PreparedImage(torch.from_numpy(centred.copy())[None], steps, inverted)  # (1, size, size)


def prepare_rgb(image: np.ndarray, size: int = 32) -> PreparedImage:
    """For CIFAR-10-like models: centre square crop → antialiased resize → tensor (3, size, size)."""
    image = _as_float_image(image)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)  # (H, W, 3)
    height, width = image.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = image[top:top + side, left:left + side]  # (side, side, 3)
    resized = _resize(square, size, size)  # (size, size, 3)
    tensor = torch.from_numpy(np.ascontiguousarray(resized)).permute(2, 0, 1).contiguous()  # (3, size, size)
    return PreparedImage(tensor, [("original", image), ("square", square), ("resized", resized)], False)
