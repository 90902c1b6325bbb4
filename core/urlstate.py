"""Settings ⇄ URL query parameters, so a link reproduces a setup (TF Playground's state.ts idea).

A page binds its frozen config dataclass once (`Binding`): each link name points at a field of the
config ("lr" → "train.lr") and says how its text is checked (`Choice` of registry keys, `Int` or
`Float` in a range, `Bool`, `IntList`, `ChoiceList`, `Maybe`); the defaults are the default config's
values. `decode` turns the raw query strings into typed values, falling back to the default (and
reporting the problem) for anything unknown, malformed or out of range; `encode` writes values back
as strings.
"""
import dataclasses
import math
import typing
from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]
    default: str | None = None     # a Binding fills it in from the config

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
    default: int | None = None

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
    default: float | None = None

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
    default: bool = False

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
    default: tuple[int, ...] = ()

    def parse(self, raw: str) -> tuple[int, ...]:
        values = tuple(int(v) for v in raw.split(",")) if raw else ()
        if len(values) > self.max_len or any(not self.low <= v <= self.high for v in values):
            raise ValueError(raw)
        return values

    def format(self, value) -> str:
        return ",".join(str(int(v)) for v in value)


@dataclass(frozen=True)
class FloatList:
    """A comma-separated list of finite numbers in [low, high], e.g. a neuron's inputs "0.5,0.3,0.8"."""
    low: float
    high: float
    min_len: int
    max_len: int
    default: tuple[float, ...] = ()

    def parse(self, raw: str) -> tuple[float, ...]:
        values = tuple(Float(self.low, self.high).parse(v) for v in raw.split(",")) if raw else ()
        if not self.min_len <= len(values) <= self.max_len:
            raise ValueError(raw)
        return values

    def format(self, value) -> str:
        return ",".join(Float(self.low, self.high).format(v) for v in value)


@dataclass(frozen=True)
class ChoiceList:
    """A comma-separated list of registry keys, e.g. per-layer activations "relu,tanh"."""
    options: tuple[str, ...]
    max_len: int
    default: tuple[str, ...] = ()
    min_len: int = 0

    def parse(self, raw: str) -> tuple[str, ...]:
        values = tuple(raw.split(",")) if raw else ()
        if not self.min_len <= len(values) <= self.max_len or any(v not in self.options for v in values):
            raise ValueError(raw)
        return values

    def format(self, value) -> str:
        return ",".join(str(v) for v in value)


@dataclass(frozen=True)
class Maybe:
    """A value that may be absent ("all", e.g. every training image): None ⇄ "all"."""
    inner: "Param"
    default: object = None

    def parse(self, raw: str):
        return None if raw == "all" else self.inner.parse(raw)

    def format(self, value) -> str:
        return "all" if value is None else self.inner.format(value)


Param = Choice | Int | Float | Bool | IntList | FloatList | ChoiceList | Maybe

# The Python type each checker reads, for `Binding.check` (a field's annotation must match).
_READS = {Choice: str, Int: int, Float: float, Bool: bool, IntList: tuple[int, ...], FloatList: tuple[float, ...],
          ChoiceList: tuple[str, ...]}


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


def options_with(options, value) -> list:
    """A widget's scale with a linked `value` added, sorted: a link's value off the usual scale stays exact."""
    return sorted(set(options) | {value})


def _get(config, path: str):
    for name in path.split("."):
        config = getattr(config, name)
    return config


def _set(config, path: str, value):
    head, _, rest = path.partition(".")
    return dataclasses.replace(config, **{head: _set(getattr(config, head), rest, value) if rest else value})


def _field_type(config_type: type, path: str):
    for name in path.split("."):
        hints = typing.get_type_hints(config_type)
        config_type = hints[name]
    return config_type


def leaf_paths(config) -> list[str]:
    """Every field of a (nested) config dataclass as a dotted path, e.g. "train.augment.hflip"."""
    paths = []
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        paths += [f"{f.name}.{p}" for p in leaf_paths(value)] if dataclasses.is_dataclass(value) else [f.name]
    return paths


@dataclass(frozen=True)
class Binding:
    """A page's frozen config ⇄ its link: link name → (field path, checker). The checker's own
    default is ignored: a bare link means `default`, the page's default config."""
    default: object                            # the config a link without parameters reproduces
    params: dict[str, tuple[str, Param]]       # link name → (dotted field path, how its text is read)
    unlinked: frozenset[str] = frozenset()     # field paths the page derives from others or never changes

    def spec(self) -> dict[str, Param]:
        """{link name: checker with the default config's value as its default}, for decode/encode."""
        return {name: dataclasses.replace(param, default=_get(self.default, path))
                for name, (path, param) in self.params.items()}

    def values(self, config) -> dict:
        """{link name: the config's value at that field}."""
        return {name: _get(config, path) for name, (path, _) in self.params.items()}

    def config(self, values: dict, base=None):
        """`base` (the default config) with every linked field set from `values`."""
        config = self.default if base is None else base
        for name, (path, _) in self.params.items():
            if name in values:
                config = _set(config, path, values[name])
        return config

    def decode(self, raw: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
        """Typed link values (defaults for what is missing or bad) and the (name, raw) pairs rejected."""
        return decode(raw, self.spec())

    def encode(self, config) -> dict[str, str]:
        """The config as query strings, every linked field included (links are explicit)."""
        return encode(self.values(config), self.spec())

    def check(self) -> list[str]:
        """What is wrong with the binding itself (tests call this): unknown paths, a checker that reads
        another type than the field holds, a default the checker refuses, fields neither linked nor listed as unlinked."""
        problems, linked = [], set()
        for name, (path, param) in self.params.items():
            try:
                hint = _field_type(type(self.default), path)
            except (KeyError, AttributeError):
                problems.append(f"{name}: no field {path}")
                continue
            linked.add(path)
            inner = param.inner if isinstance(param, Maybe) else param
            wanted = _READS[type(inner)]
            allowed = {wanted, wanted | None} if isinstance(param, Maybe) else {wanted}
            if hint not in allowed:
                problems.append(f"{name}: {path} holds {hint}, the checker reads {wanted}")
            value = _get(self.default, path)
            try:
                if param.parse(param.format(value)) != value:
                    problems.append(f"{name}: the default {value!r} does not survive a round trip")
            except (ValueError, TypeError):
                problems.append(f"{name}: the default {value!r} is refused by its checker")
        missing = set(leaf_paths(self.default)) - linked - set(self.unlinked)
        problems += [f"{path}: neither linked nor listed as unlinked" for path in sorted(missing)]
        return problems
