"""core/images.py on real digits saved in real file formats, and on bad uploads.

Good files: MNIST test digits (or the offline digits set) written as PNG/JPEG/GIF/TIFF/WEBP/BMP in
many modes; prepare_digit must give back (nearly) the original 28x28 digit, centred like MNIST.
Bad files: each must raise BadImage with a sentence that names the problem, never anything else.
"""
import io
import struct
import zlib

import numpy as np
import pytest
import torch
from PIL import Image

from core import i18n
from core.data import ImageDataConfig, load_images
from core.errors import BadImage, DatasetUnavailable
from core.images import (ACCEPTED_FORMATS, MAX_IMAGE_PIXELS, MAX_UPLOAD_BYTES, MAX_WORKING_SIDE, PreparedImage,
                         canvas_to_image, drawn_image, prepare_digit, prepare_rgb, read_image,
                         read_image_with_notes)
from core.locales import images as image_strings

N_DIGITS = 12


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    """Real handwritten digits (N, 28, 28) float32 in [0, 1], white on black as in MNIST."""
    try:
        data = load_images(ImageDataConfig("mnist"))
    except DatasetUnavailable:  # no ../shared MNIST: the offline digits, first put into MNIST's framing
        data = load_images(ImageDataConfig("digits"))
        x = data.denormalise(data.x_test[:N_DIGITS])[:, 0].numpy()  # (N, 28, 28), 8x8 blurs in a 20 px box
        return np.stack([prepare_digit(u8(image)).tensor[0].numpy() for image in x])
    x = data.denormalise(data.x_test[:N_DIGITS])  # (N, 1, 28, 28)
    return x[:, 0].numpy()


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def u8(a: np.ndarray) -> np.ndarray:
    return (np.clip(a, 0, 1) * 255).round().astype(np.uint8)


def best_correlation(a: np.ndarray, b: np.ndarray, max_shift: int = 1) -> float:
    """Correlation of two 28x28 images, allowing a whole-pixel shift of up to `max_shift`
    (centring by centre of mass rounds to whole pixels, so a re-encoded digit may land 1 px off)."""
    best = -1.0
    for dy in range(-max_shift, max_shift + 1):
        for dx in range(-max_shift, max_shift + 1):
            shifted = np.roll(np.roll(a, dy, axis=0), dx, axis=1)
            best = max(best, float(np.corrcoef(shifted.ravel(), b.ravel())[0, 1]))
    return best


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / image.sum()), float((cols * image).sum() / image.sum())


def ink_box(image: np.ndarray, threshold: float = 0.3) -> tuple[int, int]:
    rows, cols = np.nonzero(image > threshold)
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


def assert_like_mnist(prepared: PreparedImage, original: np.ndarray, min_corr: float) -> None:
    """The trained-model-free checks: shape, range, centring, size of the ink box, resemblance."""
    assert prepared.tensor.shape == (1, 28, 28) and prepared.tensor.dtype == torch.float32
    digit = prepared.tensor[0].numpy()
    assert 0.0 <= digit.min() and digit.max() <= 1.0 and digit.max() > 0.9
    row, col = centre_of_mass(digit)
    assert abs(row - 14.0) <= 1.0 and abs(col - 14.0) <= 1.0, (row, col)
    assert 17 <= max(ink_box(digit)) <= 21, ink_box(digit)
    assert best_correlation(digit, original) > min_corr


# ------------------------------------------------------------------ the forms a digit may arrive in

def as_is(d):  # white on black, 8-bit grey PNG, exactly as MNIST stores it
    return encode(Image.fromarray(u8(d)))


def inverted(d):  # black ink on white paper
    return encode(Image.fromarray(u8(1 - d)))


def rgb(d):
    return encode(Image.fromarray(u8(1 - d)).convert("RGB"))


def rgba_transparent(d):  # black strokes on a transparent background (e.g. exported from a drawing app)
    pixels = np.zeros((28, 28, 4), np.uint8)
    pixels[..., 3] = u8(d)
    return encode(Image.fromarray(pixels, "RGBA"))


def off_centre_large(d):  # scaled x4, far from the centre of a big white page
    page = Image.new("L", (400, 260), 255)
    page.paste(Image.fromarray(u8(1 - d)).resize((112, 112), Image.Resampling.BICUBIC), (250, 20))
    return encode(page)


def jpeg(d):
    big = Image.fromarray(u8(1 - d)).resize((112, 112), Image.Resampling.BICUBIC).convert("RGB")
    return encode(big, "JPEG", quality=85)


def png16(d):  # 16-bit grey: values up to 65535, which a naive 8-bit conversion clips to white
    return encode(Image.fromarray((d * 65535).round().astype(np.uint16)))


def cmyk_jpeg(d):
    return encode(Image.fromarray(u8(1 - d)).convert("RGB").convert("CMYK"), "JPEG", quality=95)


def cmyk_tiff(d):
    return encode(Image.fromarray(u8(1 - d)).convert("RGB").convert("CMYK"), "TIFF")


def palette(d):
    return encode(Image.fromarray(u8(1 - d)).convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=32))


def one_bit(d):
    return encode(Image.fromarray(u8(d)).resize((112, 112), Image.Resampling.BICUBIC).convert("1", dither=Image.Dither.NONE))


def bmp(d):
    return encode(Image.fromarray(u8(1 - d)).convert("RGB"), "BMP")


def webp_lossless(d):
    return encode(Image.fromarray(u8(1 - d)).convert("RGB"), "WEBP", lossless=True)


FORMS = {  # form → (encoder, minimum shift-tolerant correlation with the original)
    "as_is": (as_is, 0.97), "inverted": (inverted, 0.97), "rgb": (rgb, 0.97), "rgba": (rgba_transparent, 0.97),
    "off_centre_large": (off_centre_large, 0.8), "jpeg": (jpeg, 0.8), "png16": (png16, 0.97),
    "cmyk_jpeg": (cmyk_jpeg, 0.9), "cmyk_tiff": (cmyk_tiff, 0.97), "palette": (palette, 0.95),
    "one_bit": (one_bit, 0.75), "bmp": (bmp, 0.97), "webp": (webp_lossless, 0.97),
}


@pytest.mark.parametrize("form", FORMS)
def test_prepare_digit_recovers_the_mnist_digit(digits, form):
    encoder, min_corr = FORMS[form]
    for original in digits:
        prepared = prepare_digit(read_image(encoder(original)))
        assert_like_mnist(prepared, original, min_corr)
        assert prepared.inverted == (form not in ("as_is", "png16", "one_bit"))


def test_as_is_round_trip_is_nearly_exact(digits):
    """An MNIST digit saved as PNG comes back as itself (the pipeline is MNIST's own)."""
    correlations = [np.corrcoef(prepare_digit(read_image(as_is(d))).tensor[0].numpy().ravel(), d.ravel())[0, 1]
                    for d in digits]
    assert min(correlations) > 0.9 and np.median(correlations) > 0.98


def test_steps_show_the_pipeline(digits):
    plain = prepare_digit(read_image(as_is(digits[0])))
    assert [name for name, _ in plain.steps] == ["grey", "cropped", "resized", "centred"]
    flipped = prepare_digit(read_image(off_centre_large(digits[0])))
    assert [name for name, _ in flipped.steps] == ["grey", "inverted", "cropped", "resized", "centred"]
    assert flipped.steps[0][1].shape == (260, 400)
    assert max(flipped.steps[3][1].shape) == 20
    np.testing.assert_allclose(flipped.steps[-1][1], flipped.tensor[0].numpy())
    for name, image in flipped.steps:
        assert image.dtype == np.float32 and 0 <= image.min() and image.max() <= 1, name
        assert f"img_step_{name}" in image_strings.EN


def test_16_bit_is_scaled_not_saturated(digits):
    image = read_image(png16(digits[0]))
    eight_bit = read_image(as_is(digits[0]))
    assert image.shape == (28, 28, 3) and image.dtype == np.float32
    np.testing.assert_allclose(image, eight_bit, atol=1 / 255)
    # a naive convert("L") clips every value above 255 (of 65535) to white: most ink would be 1.0
    ink = image[..., 0][digits[0] > 0]
    assert (ink < 0.99).mean() > 0.2


def test_16_bit_dark_image_keeps_its_levels():
    ramp = np.tile(np.linspace(0, 4000, 16).astype(np.uint16), (16, 1))  # a dim 16-bit ramp
    image = read_image(encode(Image.fromarray(ramp)))
    np.testing.assert_allclose(image[..., 0], ramp / 65535, atol=1e-6)


@pytest.mark.parametrize("dtype, fmt", [(">u2", "TIFF"), ("<u2", "TIFF"), ("<u2", "PNG")])
@pytest.mark.parametrize("shape", [(30, 40), (1200, 2100)])  # the large one takes the shrink path
def test_16_bit_byte_orders_and_sizes(dtype, fmt, shape):
    ramp = np.tile(np.linspace(0, 1, shape[1]), (shape[0], 1))  # (H, W) from 0 to 1
    image = read_image(encode(Image.fromarray((ramp * 65535).round().astype(dtype)), fmt))
    assert image.max() > 0.99 and abs(image.mean() - 0.5) < 0.01
    expected = ramp if shape[1] <= MAX_WORKING_SIDE else np.tile(np.linspace(0, 1, image.shape[1]), (image.shape[0], 1))
    np.testing.assert_allclose(image[..., 1], expected, atol=0.01)


MODES_AND_FORMATS = [(mode, fmt) for mode in ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "YCbCr", "LAB", "I", "F")
                     for fmt in ("PNG", "TIFF", "WEBP", "BMP", "GIF", "JPEG")]


def test_every_mode_converts_or_gives_a_message():
    """Every mode Pillow can write in an accepted format: a correct-looking array or a BadImage."""
    ramp = np.tile(np.linspace(0, 1, 40, dtype=np.float32), (30, 1))  # (30, 40)
    grey_ramp = Image.fromarray(u8(ramp)).convert("RGB")
    converted = 0
    for mode, fmt in MODES_AND_FORMATS:
        source = {"I": Image.fromarray((ramp * 65535).astype(np.int32)), "F": Image.fromarray(ramp)}.get(mode)
        if source is not None and fmt not in ("PNG", "TIFF"):
            continue  # Pillow's other writers clip 32-bit values to 8 bits themselves
        buffer = io.BytesIO()
        try:
            (source or grey_ramp.convert(mode)).save(buffer, fmt)
        except (OSError, ValueError, KeyError):
            continue  # this format cannot store this mode
        try:
            image = read_image(buffer.getvalue())
        except BadImage as error:
            assert error.key in image_strings.EN
            continue
        assert image.shape == (30, 40, 3) and image.dtype == np.float32
        if mode != "1":  # a grey ramp stays a left-to-right ramp (1-bit is thresholded)
            assert image[:, :4].mean() < 0.2 and image[:, -4:].mean() > 0.8, (mode, fmt)
        converted += 1
    assert converted > 30


def test_damaged_files_never_escape_as_other_errors():
    """Seeded fuzz: truncate or overwrite bytes of valid files; only BadImage may come out."""
    rng = np.random.default_rng(4)
    noise = Image.fromarray(rng.integers(0, 255, (40, 48, 3), dtype=np.uint8))
    originals = [encode(noise, "PNG"), encode(noise, "JPEG"), encode(noise.convert("P"), "GIF"),
                 encode(noise, "BMP"), encode(noise, "WEBP"), encode(noise, "TIFF")]
    for original in originals:
        for trial in range(25):
            data = bytearray(original)
            if trial % 2:
                data = data[:rng.integers(1, len(data))]
            else:
                for _ in range(rng.integers(1, 6)):
                    data[rng.integers(0, len(data))] = rng.integers(0, 256)
            try:
                image = read_image(bytes(data))
            except BadImage:
                continue
            assert image.ndim == 3 and np.isfinite(image).all() and 0 <= image.min() and image.max() <= 1


def test_transparency_is_composited_onto_white(digits):
    image, notes = read_image_with_notes(rgba_transparent(digits[0]))
    np.testing.assert_allclose(image[..., 0], 1 - digits[0], atol=1 / 255)
    assert "img_note_transparent" in notes
    # a palette GIF with a transparent index: transparent pixels must be white, not palette colour 0
    gif = Image.fromarray(u8(1 - digits[0])).convert("P")
    transparent = gif.getpixel((0, 0))
    out = read_image(encode(gif, "GIF", transparency=transparent))
    assert np.allclose(out[0, 0], 1.0)


def test_cmyk_colours_are_converted():
    red = Image.new("CMYK", (8, 8), (0, 255, 255, 0))
    for fmt in ("JPEG", "TIFF"):
        image, notes = read_image_with_notes(encode(red, fmt, **({"quality": 100} if fmt == "JPEG" else {})))
        np.testing.assert_allclose(image[4, 4], [1, 0, 0], atol=0.05)
        assert "img_note_cmyk" in notes


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_animation_gives_first_frame(digits, fmt):
    frames = [Image.fromarray(u8(1 - d)).convert("RGB") for d in digits[:3]]
    options = {"lossless": True} if fmt == "WEBP" else {}
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0, **options)
    image, notes = read_image_with_notes(data)
    assert "img_note_first_frame" in notes
    prepared = prepare_digit(image)
    assert best_correlation(prepared.tensor[0].numpy(), digits[0]) > 0.95
    assert best_correlation(prepared.tensor[0].numpy(), digits[1]) < 0.9


def test_exif_orientation_is_applied(digits):
    upright = Image.fromarray(u8(1 - digits[0])).resize((56, 56)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": store the picture turned anticlockwise
    data = encode(upright.rotate(90, expand=True), "JPEG", quality=95, exif=exif.tobytes())
    image, notes = read_image_with_notes(data)
    assert "img_note_rotated" in notes
    assert best_correlation(prepare_digit(image).tensor[0].numpy(), digits[0]) > 0.85


def test_large_image_is_shrunk_with_a_note():
    big = Image.new("RGB", (3000, 1500), (0, 128, 255))
    for fmt in ("JPEG", "PNG"):
        image, notes = read_image_with_notes(encode(big, fmt))
        assert image.shape == (MAX_WORKING_SIDE // 2, MAX_WORKING_SIDE, 3) and "img_note_shrunk" in notes
        np.testing.assert_allclose(image[100, 100], [0, 128 / 255, 1], atol=0.03)


# ------------------------------------------------------------------ bad uploads

def png_declaring(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width x height (all black) built row-block by row-block: a few KB to
    ~50 KB on disk, hundreds of megapixels decoded (a decompression bomb) - without ever holding it."""
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    compressor = zlib.compressobj(9)
    block = (b"\x00" * (1 + (width + 7) // 8)) * 1000  # 1000 rows: filter byte + packed bits
    body = b"".join(compressor.compress(block) for _ in range(height // 1000))
    body += compressor.compress(b"\x00" * (1 + (width + 7) // 8) * (height % 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # bit depth 1, greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def small_png() -> bytes:
    rng = np.random.default_rng(0)
    return encode(Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)))


def raises_bad_image(data, *fragments: str) -> BadImage:
    with pytest.raises(BadImage) as caught:
        read_image(data)
    message = str(caught.value)
    assert message.endswith(".") and len(message) > 30, message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), message
    assert caught.value.key in image_strings.EN
    return caught.value


def test_empty_file():
    raises_bad_image(b"", "empty")


def test_oversize_file():
    error = raises_bad_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_UPLOAD_BYTES, "MB", "limit")
    assert error.key == "img_too_many_bytes"


def test_random_bytes_and_text_are_not_images():
    raises_bad_image(np.random.default_rng(1).bytes(5000), "not an image", "PNG")
    raises_bad_image("Hello, this is a text file.\n".encode() * 20, "not an image")


@pytest.mark.parametrize("data, kind", [
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', "SVG"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>', "SVG"),
    (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
])
def test_unsupported_formats_are_named(data, kind):
    raises_bad_image(data, kind, "not supported", "PNG")


def test_accepted_format_we_do_not_open_is_refused():
    ico = encode(Image.new("RGB", (16, 16), "red"), "ICO")  # Pillow reads ICO, but we do not accept it
    raises_bad_image(ico, "ICO", "not supported")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_truncated_file(fmt):
    rng = np.random.default_rng(2)
    noise = Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8))
    data = encode(noise if fmt != "GIF" else noise.convert("P"), fmt)
    raises_bad_image(data[: len(data) // 2], "incomplete")


def test_corrupted_png_data():
    data = bytearray(small_png())
    start = data.index(b"IDAT") + 20
    data[start:start + 40] = bytes(40)  # destroy part of the compressed pixels (and the CRC)
    raises_bad_image(bytes(data), "cannot be decoded")


@pytest.mark.parametrize("width, height", [
    (8000, 8000),     # 64 Mpx: under Pillow's own limit, over ours
    (10000, 10000),   # 100 Mpx: Pillow only warns; the warning must become an error
    (20000, 20000),   # 400 Mpx: Pillow raises DecompressionBombError itself
])
def test_decompression_bomb(width, height):
    data = png_declaring(width, height)
    assert len(data) < 100_000
    error = raises_bad_image(data, "million pixels", "Resize")
    assert error.key == "img_too_many_pixels"


def test_bomb_refused_even_if_pillow_limit_is_off(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # some other code disabled Pillow's guard
    raises_bad_image(png_declaring(20000, 20000), "million pixels")


@pytest.mark.parametrize("size", [(1, 1), (3, 40), (2, 2)])
def test_tiny_images_get_a_message(size):
    for mode in ("L", "RGBA", "1"):
        raises_bad_image(encode(Image.new(mode, size)), "pixels", "at least")


def test_smallest_accepted_image_converts():
    image = read_image(encode(Image.new("RGB", (4, 4), (255, 0, 0))))
    np.testing.assert_allclose(image, np.tile([1.0, 0, 0], (4, 4, 1)))


def test_long_thin_strip_is_refused():
    raises_bad_image(encode(Image.new("L", (2000, 10))), "long and thin")


def test_blank_upload_is_refused_by_prepare_digit():
    for colour in (0, 255, 128):
        with pytest.raises(BadImage, match="[Dd]raw or upload a digit"):
            prepare_digit(read_image(encode(Image.new("L", (50, 50), colour))))
    faint = np.random.default_rng(3).normal(0.9, 0.02, (64, 64)).clip(0, 1)  # blank paper, sensor noise
    with pytest.raises(BadImage, match="[Dd]raw or upload a digit"):
        prepare_digit(read_image(encode(Image.fromarray(u8(faint)), "JPEG")))


def test_bad_input_types():
    with pytest.raises(TypeError):
        read_image("a file name")  # a programming error, not a bad upload
    assert read_image(bytearray(small_png())).shape == (64, 64, 3)


# ------------------------------------------------------------------ canvas and RGB models

def canvas_strokes(digit: np.ndarray, scale: int = 10) -> np.ndarray:
    """What streamlit-drawable-canvas returns for white strokes: (H, W, 4) uint8, alpha = ink."""
    big = np.asarray(Image.fromarray(u8(digit)).resize((28 * scale, 28 * scale), Image.Resampling.BICUBIC))
    rgba = np.zeros(big.shape + (4,), np.uint8)
    rgba[..., :3] = 255
    rgba[..., 3] = big
    return rgba


def test_canvas_drawing_matches_the_digit(digits):
    for original in digits[:4]:
        image = canvas_to_image(canvas_strokes(original))
        assert image.shape == (280, 280, 3) and image.dtype == np.float32
        prepared = prepare_digit(image)
        assert not prepared.inverted
        assert_like_mnist(prepared, original, 0.85)


def test_canvas_background_colour():
    strokes = np.zeros((10, 10, 4), np.uint8)
    strokes[2:5, 2:5] = [255, 255, 255, 255]
    on_black = canvas_to_image(strokes)
    on_white = canvas_to_image(strokes, background="#ffffff")
    assert on_black[0, 0].tolist() == [0, 0, 0] and on_white[0, 0].tolist() == [1, 1, 1]
    assert on_black[3, 3].tolist() == [1, 1, 1]
    np.testing.assert_allclose(canvas_to_image(strokes, background=(255, 0, 0))[0, 0], [1, 0, 0])


def test_drawn_image_waits_for_ink_then_is_the_composited_drawing():
    assert drawn_image(None) is None
    assert drawn_image(np.zeros((224, 224, 4), np.uint8)) is None  # the canvas before the first stroke
    strokes = np.zeros((10, 10, 4), np.uint8)
    strokes[2:5, 2:5] = [255, 255, 255, 255]
    np.testing.assert_array_equal(drawn_image(strokes), canvas_to_image(strokes))


def test_blank_canvas_is_refused():
    blank = np.zeros((280, 280, 4), np.uint8)
    with pytest.raises(BadImage, match="[Dd]raw or upload a digit"):
        prepare_digit(canvas_to_image(blank))
    with pytest.raises(BadImage, match="draw"):
        canvas_to_image(None)
    with pytest.raises(BadImage, match="shape"):
        canvas_to_image(np.zeros((10, 10), np.uint8))


def test_prepare_rgb_centre_crops_and_resizes():
    image = np.zeros((60, 90, 3), np.float32)
    image[:, :15] = [1, 0, 0]
    image[:, 15:75] = [0, 1, 0]  # the centre 60x60 square is pure green
    image[:, 75:] = [0, 0, 1]
    prepared = prepare_rgb(image)
    assert prepared.tensor.shape == (3, 32, 32) and prepared.tensor.dtype == torch.float32
    torch.testing.assert_close(prepared.tensor, torch.tensor([0.0, 1.0, 0.0]).view(3, 1, 1).expand(3, 32, 32))
    assert [name for name, _ in prepared.steps] == ["original", "square", "resized"]
    assert prepared.steps[1][1].shape == (60, 60, 3) and not prepared.inverted


def test_prepare_rgb_antialiases():
    stripes = np.zeros((96, 96, 3), np.float32)
    stripes[:, ::2] = 1.0  # one-pixel stripes; 3x shrink without antialiasing samples pure 0s and 1s
    out = prepare_rgb(stripes, size=32).tensor
    torch.testing.assert_close(out, torch.full_like(out, 0.5), atol=0.07, rtol=0)


def test_prepare_rgb_from_an_upload(digits):
    prepared = prepare_rgb(read_image(jpeg(digits[0])), size=16)
    assert prepared.tensor.shape == (3, 16, 16) and 0 <= prepared.tensor.min() and prepared.tensor.max() <= 1


# ------------------------------------------------------------------ strings

def test_error_strings_exist_in_both_languages():
    assert image_strings.EN.keys() == image_strings.ZH.keys()
    assert all(key.startswith("img_") for key in image_strings.EN)
    i18n.tables.cache_clear()
    i18n.tables()  # no key clashes with other locale files
    with pytest.raises(BadImage) as caught:
        read_image(b"")
    chinese = caught.value.message("zh")
    assert chinese == image_strings.ZH["img_empty"] and chinese != str(caught.value)
    with pytest.raises(BadImage) as caught:
        read_image(b"\x00" * (MAX_UPLOAD_BYTES + 1))
    assert "10" in caught.value.message("zh")


def test_constants():
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024 and MAX_IMAGE_PIXELS <= 40_000_000
    assert ACCEPTED_FORMATS == ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
