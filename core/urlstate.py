"""Settings ⇄ URL query parameters, so a link reproduces a setup (TF Playground's state.ts idea).

A page declares its parameters once (`Choice`, `Int`, `Float`, `Bool`, `IntList`, `ChoiceList`); `decode` turns
the raw query strings into typed values, falling back to the default (and reporting the problem)
for anything unknown, malformed or out of range; `encode` writes values back as strings.
"""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]
    default: str

    def parse(self, raw: str) -> str:
        if raw not in self.options:
            raise ValueError(raw)
        return raw

    def format(self, value) -> str:
        return str(value)


@dataclass(frozen=True)
class Int:
    low: int
    high: int
    default: int

    def parse(self, raw: str) -> int:
        value = int(raw)
        if not self.low <= value <= self.high:
            raise ValueError(raw)
        return value

    def format(self, value) -> str:
        return str(int(value))


@dataclass(frozen=True)
class Float:
    low: float
    high: float
    default: float

    def parse(self, raw: str) -> float:
        value = float(raw)
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise ValueError(raw)
        return value

    def format(self, value) -> str:
        short = f"{float(value):g}"  # "0.001", not "0.0010000"; but :g keeps only 6 digits,
        return short if float(short) == float(value) else repr(float(value))  # so fall back to exact


@dataclass(frozen=True)
class Bool:
    default: bool

    def parse(self, raw: str) -> bool:
        if raw not in ("0", "1", "true", "false"):
            raise ValueError(raw)
        return raw in ("1", "true")

    def format(self, value) -> str:
        return "1" if value else "0"


@dataclass(frozen=True)
class IntList:
    low: int
    high: int
    max_len: int
    default: tuple[int, ...]

    def parse(self, raw: str) -> tuple[int, ...]:
        values = tuple(int(v) for v in raw.split(",")) if raw else ()
        if len(values) > self.max_len or any(not self.low <= v <= self.high for v in values):
            raise ValueError(raw)
        return values

    def format(self, value) -> str:
        return ",".join(str(int(v)) for v in value)


@dataclass(frozen=True)
class ChoiceList:
    """A comma-separated list of registry keys, e.g. per-layer activations "relu,tanh"."""
    options: tuple[str, ...]
    max_len: int
    default: tuple[str, ...]
    min_len: int = 0

    def parse(self, raw: str) -> tuple[str, ...]:
        values = tuple(raw.split(",")) if raw else ()
        if not self.min_len <= len(values) <= self.max_len or any(v not in self.options for v in values):
            raise ValueError(raw)
        return values

    def format(self, value) -> str:
        return ",".join(str(v) for v in value)


Param = Choice | Int | Float | Bool | IntList | ChoiceList


def decode(raw: dict[str, str], spec: dict[str, Param]) -> tuple[dict, list[tuple[str, str]]]:
    """Typed values for every parameter in `spec`, plus (name, raw value) for each one rejected.

    Parameters missing from `raw` take their default silently; unknown names are ignored.
    """
    values, problems = {}, []
    for name, param in spec.items():
        if name not in raw:
            values[name] = param.default
            continue
        try:
            values[name] = param.parse(str(raw[name]))
        except (ValueError, TypeError):
            values[name] = param.default
            problems.append((name, str(raw[name])))
    return values, problems


def encode(values: dict, spec: dict[str, Param]) -> dict[str, str]:
    """Query-string values for every parameter in `spec` (defaults included, so links are explicit)."""
    return {name: param.format(values.get(name, param.default)) for name, param in spec.items()}
