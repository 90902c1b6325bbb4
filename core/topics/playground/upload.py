"""A learner's own 2-D data: a small CSV of x1,x2,label rows, validated with messages that say what to fix.

Integer labels with 2-5 distinct values make a classification set (labels renumbered 0..k-1 in
sorted order); any other numeric labels make a regression set (targets scaled into [-1, 1]), and
whole-number labels with more distinct values than that are said to be taken as regression.
A first row that is not numeric is taken as a header. Every value must fit float32 (what the
network trains in: 1e308 is a float64 but overflows to infinity and trains to NaN).
"""
import csv
import io
import math
from dataclasses import replace

import torch

from core import i18n
from core.errors import BadUpload
from core.topics.playground.network import PlaygroundConfig, PlaygroundData, data_extent
from core.text import literal
from core.topics.playground.datasets import split

MAX_BYTES = 200_000      # a few thousand short rows
MAX_ROWS = 2000          # the playground animates every point; more would only slow it down
MIN_ROWS = 10            # enough for a train and a test part
MAX_CLASSES = 5
FLOAT32_MAX = float(torch.finfo(torch.float32).max)  # 3.4e38


class BadCsv(BadUpload):
    """A CSV problem (its key in core/topics/playground/strings.py names the row and column)."""


def _number(text: str, row: int, column: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadCsv("pg_csv_not_number", row=row, column=column, value=literal(text, 30)) from None
    if not math.isfinite(value):
        raise BadCsv("pg_csv_not_finite", row=row, column=column, value=literal(text, 30))
    if abs(value) > FLOAT32_MAX:
        raise BadCsv("pg_csv_too_large", row=row, column=column, value=literal(text, 30), limit=f"{FLOAT32_MAX:.1e}")
    return value


def parse_csv(raw: bytes) -> tuple[torch.Tensor, torch.Tensor, str, int, int]:
    """Points (N, 2) float32, targets (N,), task ("classify" | "regress"), class count (1 if
    regression) and the number of distinct labels when they are all whole numbers (else 0).

    Raises BadCsv with a sentence naming the row and column of the first problem.
    """
    if len(raw) > MAX_BYTES:
        raise BadCsv("pg_csv_too_big", size=len(raw) // 1000, limit=MAX_BYTES // 1000)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadCsv("pg_csv_not_text") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if rows and not _is_numeric_row(rows[0]):
        rows = rows[1:]  # header
    if len(rows) > MAX_ROWS:
        raise BadCsv("pg_csv_too_many", rows=len(rows), limit=MAX_ROWS)
    if len(rows) < MIN_ROWS:
        raise BadCsv("pg_csv_too_few", rows=len(rows), limit=MIN_ROWS)
    values = []
    for number, row in enumerate(rows, start=1):
        if len(row) != 3:
            raise BadCsv("pg_csv_columns", row=number, found=len(row))
        values.append([_number(cell.strip(), number, c) for c, cell in enumerate(row, start=1)])
    table = torch.tensor(values, dtype=torch.float64)  # (N, 3)
    x, labels = table[:, :2].float(), table[:, 2].contiguous()
    distinct = torch.unique(labels)
    whole = len(distinct) if bool(torch.all(labels == labels.round())) else 0
    if whole and whole <= MAX_CLASSES:
        if whole < 2:
            raise BadCsv("pg_csv_one_class")
        y = torch.searchsorted(distinct, labels)  # renumber to 0..k-1, (N,) int64
        return x, y, "classify", whole, whole
    span = float(labels.abs().max())
    y = (labels / span if span > 0 else labels).float()  # targets in [-1, 1]
    return x, y, "regress", 1, whole


def _is_numeric_row(row: list[str]) -> bool:
    try:
        [float(cell) for cell in row]
        return True
    except ValueError:
        return False


def shuffled(x: torch.Tensor, y: torch.Tensor, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The rows in a seeded random order (a file sorted by label would otherwise split badly)."""
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    return x[order], y[order]


def upload_data(raw: bytes, train_pct: int, seed: int) -> PlaygroundData:
    """A PlaygroundData from CSV bytes: validated, shuffled by `seed`, split train/test."""
    x, y, task, classes, whole = parse_csv(raw)
    x, y = shuffled(x, y, seed)
    return PlaygroundData(*split(x, y, train_pct), task=task, classes=classes, extent=data_extent(x),
                          whole_labels=whole)


def apply_upload(raw: bytes, config: PlaygroundConfig) -> tuple[PlaygroundConfig, PlaygroundData, int]:
    """The setup with the uploaded file as its data: (config naming "upload", the data, a digest of the file).

    The digest joins the config in the page's run key, so another file starts a fresh run even
    when every setting is the same. Raises BadCsv like parse_csv.
    """
    data = upload_data(raw, config.train_pct, config.seed)
    return replace(config, dataset="upload"), data, hash(raw)


def describe_upload(data: PlaygroundData, lang: str) -> str:
    """One sentence saying how many rows were read and which task they make, in `lang`."""
    task = i18n.t(f"pg_task_{data.task}", lang, classes=data.classes)
    text = i18n.t("pg_upload_active", lang, rows=len(data.x_train) + len(data.x_test), task=task)
    if data.task == "regress" and data.whole_labels > MAX_CLASSES:
        text += " " + i18n.t("pg_csv_many_labels", lang, distinct=data.whole_labels, limit=MAX_CLASSES)
    return text
