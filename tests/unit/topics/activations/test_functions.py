"""Activation functions against torch.nn.functional (values) and autograd (derivatives); softmax."""
import dataclasses
import math
import re

import pytest
import torch
import torch.nn.functional as F

from core.topics.activations.functions import (ACTIVATIONS, PROPERTY_COLUMNS, BadNumbers, class_labels, curves,
                                               entropy_bits, float32_comparison, max_errors_vs_torch, parse_numbers,
                                               property_rows, softmax, softmax_naive, value_and_derivative)

SMOOTH = [k for k in ACTIVATIONS if k != "step"]


def random_points(seed: int, n: int = 4000, scale: float = 5.0) -> torch.Tensor:
    """Seeded float64 points spread over [-~20, ~20]; exact kinks (0, ±3) have probability zero."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, generator=g, dtype=torch.float64) * scale


@pytest.mark.parametrize("slope", [0.01, 0.3])
@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_values_match_torch_functional(key, slope):
    x = random_points(1)
    act = ACTIVATIONS[key]
    torch.testing.assert_close(act.f(x, slope), act.reference(x, slope), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("slope", [0.01, 0.3])
@pytest.mark.parametrize("key", SMOOTH)
def test_derivatives_match_autograd(key, slope):
    x = random_points(2).requires_grad_()
    ACTIVATIONS[key].reference(x, slope).sum().backward()  # autograd of torch's own function
    # torch computes hardsigmoid's 1/6 in float32 internally, hence the looser tolerance
    torch.testing.assert_close(ACTIVATIONS[key].df(x.detach(), slope), x.grad, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_derivatives_match_finite_differences_of_f(key):
    """f' agrees with (f(x+h) - f(x-h)) / 2h of the same f, away from the kinks at 0 and ±3."""
    x = random_points(3, n=2000, scale=3.0)
    x = x[((x.abs() > 1e-3) & ((x.abs() - 3).abs() > 1e-3))]
    h = 1e-6
    f, df = value_and_derivative(key, x, 0.2)
    numeric = (ACTIVATIONS[key].f(x + h, 0.2) - ACTIVATIONS[key].f(x - h, 0.2)) / (2 * h)
    torch.testing.assert_close(df, numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_float32_inputs_stay_float32_and_close_to_float64(key):
    x64 = random_points(4, n=500)
    f32, df32 = value_and_derivative(key, x64.float())
    f64, df64 = value_and_derivative(key, x64)
    assert f32.dtype == torch.float32 and df32.dtype == torch.float32
    torch.testing.assert_close(f32.double(), f64, rtol=1e-5, atol=1e-5)


# --- the properties table is checked against the functions themselves -------------------------------

GRID = torch.linspace(-30, 30, 60001, dtype=torch.float64)


@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_monotonic_column_is_true(key):
    f, _ = value_and_derivative(key, GRID)
    assert ACTIVATIONS[key].monotonic == bool((f.diff() >= -1e-15).all())


@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_zero_centred_column_is_true(key):
    """'yes' = odd function; 'roughly' = not odd, but the mean output for N(0, 1) inputs is under 0.45x ReLU's."""
    f, _ = value_and_derivative(key, GRID)
    odd = bool(torch.allclose(f, -f.flip(0), atol=1e-9))  # f(-x) = -f(x): outputs balanced around 0
    normal = torch.randn(400_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    mean = abs(float(value_and_derivative(key, normal)[0].mean()))
    relu_mean = float(F.relu(normal).mean())  # ≈ 0.399
    expected = "yes" if odd else ("roughly" if mean < 0.45 * relu_mean else "no")
    assert ACTIVATIONS[key].zero_centred == expected


@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_saturation_and_dead_zone_columns_are_true(key):
    act = ACTIVATIONS[key]
    _, df = value_and_derivative(key, torch.tensor([-30.0, -5.0, -1.0, 30.0], dtype=torch.float64))
    left_flat, right_flat = abs(float(df[0])) < 1e-6, abs(float(df[3])) < 1e-6
    assert act.saturates == {(True, True): "both", (True, False): "left", (False, False): "none"}[(left_flat, right_flat)]
    exactly_zero_left = float(df[1]) == 0.0 and float(df[2]) == 0.0
    if act.dead_zone in ("negative", "everywhere"):
        assert exactly_zero_left
    elif act.dead_zone == "outside":
        assert float(df[1]) == 0.0 and float(df[2]) != 0.0
    else:
        assert act.dead_zone == "none" and float(df[1]) != 0.0


@pytest.mark.parametrize("key", ["gelu", "silu", "mish"])
def test_quoted_minimum_of_non_monotonic_functions(key):
    quoted = float(re.search(r"−(\d\.\d+)", ACTIVATIONS[key].output_range).group(1))
    f, _ = value_and_derivative(key, GRID)
    assert -float(f.min()) == pytest.approx(quoted, abs=0.005)


def test_curves_cover_the_range_and_reject_an_empty_one():
    x, values = curves(["relu", "tanh"], -2, 3, points=11)
    assert x[0] == -2 and x[-1] == 3 and len(x) == 11
    torch.testing.assert_close(values["relu"][0], F.relu(x))
    with pytest.raises(BadNumbers):
        curves(["relu"], 1, 1)


# --- softmax ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 3.0])
def test_softmax_matches_torch(temperature):
    logits = torch.randn(20, 7, generator=torch.Generator().manual_seed(5), dtype=torch.float64) * 4
    torch.testing.assert_close(softmax(logits, temperature), torch.softmax(logits / temperature, dim=-1))


def test_stable_softmax_survives_huge_logits_where_the_naive_one_fails():
    logits = torch.tensor([1000.0, 1001.0, 1002.0])  # float32
    assert torch.isnan(softmax_naive(logits)).any()  # exp(1000) = inf → inf / inf
    stable = softmax(logits)
    torch.testing.assert_close(stable, torch.softmax(logits, -1))
    torch.testing.assert_close(stable, softmax(logits - 1000))  # shift invariance


def test_temperature_sharpens_and_flattens():
    logits = torch.tensor([2.0, 1.0, 0.1], dtype=torch.float64)
    cold, warm = softmax(logits, 0.1), softmax(logits, 100.0)
    assert cold.max() > 0.99
    assert entropy_bits(warm) == pytest.approx(math.log2(3), abs=1e-3)
    with pytest.raises(BadNumbers):
        softmax(logits, 0.0)


def test_parse_numbers_accepts_common_separators_and_rejects_junk():
    assert parse_numbers("2, 1, 0.1") == [2.0, 1.0, 0.1]
    assert parse_numbers("1;2 3，4") == [1.0, 2.0, 3.0, 4.0]
    for bad in ["", "1, two", "nan", "1e999", ",".join(["1"] * 13)]:
        with pytest.raises(BadNumbers):
            parse_numbers(bad)


def test_the_page_check_reports_tiny_errors_and_catches_a_wrong_formula(monkeypatch):
    x = torch.linspace(-5, 5, 101, dtype=torch.float64)
    value_err, deriv_err = max_errors_vs_torch(list(ACTIVATIONS), x, 0.1)
    assert value_err < 1e-12 and deriv_err < 1e-7
    broken = dataclasses.replace(ACTIVATIONS["tanh"], df=lambda v, a: 1 - torch.tanh(v))  # forgot the square
    monkeypatch.setitem(ACTIVATIONS, "tanh", broken)
    assert max_errors_vs_torch(["tanh"], x)[1] > 0.1


@pytest.mark.parametrize("text, code", [("", "empty"), ("1, two", "not_a_number"), ("inf", "not_finite"),
                                        (",".join(["1"] * 13), "too_many")])
def test_bad_numbers_carry_a_translatable_code_with_its_fields(text, code):
    with pytest.raises(BadNumbers) as caught:
        parse_numbers(text)
    assert caught.value.key == f"act_err_{code}"
    for lang in ("en", "zh"):  # the locale entry exists and every field it names is supplied
        message = caught.value.message(lang)
        assert message != f"act_err_{code}" and "{" not in message


# --- what the page builds from the registry -----------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_property_rows_follow_the_registry_in_both_languages(lang):
    from core.i18n import t

    asked = []

    def translate(key: str) -> str:
        asked.append(key)
        return t(key, lang)

    rows = property_rows(translate)
    assert len(rows) == len(ACTIVATIONS)
    header = [t(key, lang) for key in PROPERTY_COLUMNS.values()]
    assert all(list(row) == header for row in rows) and len(set(header)) == len(header)
    for key in asked:  # every word of the table is in both locale tables (t falls back to the key itself)
        assert t(key, "en") != key and t(key, "zh") != key, key
    name, mono, cost = (header[list(PROPERTY_COLUMNS).index(c)] for c in ("function", "mono", "cost"))
    for row, (key, act) in zip(rows, ACTIVATIONS.items()):
        assert row[name] == t(f"activation_{key}", lang)
        assert row[mono] == t("act_yes" if act.monotonic else "act_no", lang)
        assert row[cost] == "●" * act.cost


def test_class_labels_name_each_logit():
    assert class_labels([2.0, -0.5, 10.0], "class") == ["class 0 (z=2)", "class 1 (z=-0.5)", "class 2 (z=10)"]


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_float32_comparison_shows_the_naive_form_breaking_and_the_stable_one_not(temperature):
    logits = torch.tensor([2.0, 1.0, 0.1], dtype=torch.float64)
    expected = torch.softmax(logits / temperature, -1).tolist()
    shifted, naive, stable = float32_comparison(logits, 0, temperature)
    assert naive == pytest.approx(expected, abs=1e-6) and stable == pytest.approx(expected, abs=1e-6)
    shifted, naive, stable = float32_comparison(logits, 1000, temperature)
    assert shifted == pytest.approx([1002.0, 1001.0, 1000.1], abs=1e-4)  # float32 keeps ~7 digits
    assert any(math.isnan(p) for p in naive)  # exp(1000 / T) overflows float32
    assert stable == pytest.approx(expected, abs=1e-4)  # 1000.1 is not exact in float32, hence the tolerance
