"""One module per page for `bench.page_latency`.

Each module defines:
    PAGE = "pages/<stem>.py"
    def change(at, i: int) -> None:   # make the i-th widget change on a run AppTest (do not run it)
and optionally `def prepare(at) -> None` (called once before the first, warm-up run).
"""
