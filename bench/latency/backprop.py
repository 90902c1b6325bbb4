"""Latency of the backpropagation page's Next button (target < 150 ms per Next).

As a `bench.page_latency` scenario: each change clicks Next (Previous once the last step is reached).
Run alone for the Next-only figure against an in-process baseline (the same page rerun with nothing changed):
    python -m bench.latency.backprop [--repeats 28]
Last line: {"bench": "backprop_next", "next_ms": median, "baseline_rerun_ms": median, "ratio": next/baseline}
"""
PAGE = "pages/backprop.py"


def change(at, i: int) -> None:
    """Click Next; at the last step, step back instead so every rerun moves the highlight."""
    button = at.button(key="bp_next_button")
    (at.button(key="bp_prev_button") if button.disabled else button).click()


if __name__ == "__main__":
    import argparse
    import json

    from bench.page_latency import _rerun_ms

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=28)
    args = parser.parse_args()
    baseline = _rerun_ms(PAGE, lambda at, i: None, args.repeats)
    next_ms = _rerun_ms(PAGE, change, args.repeats)
    print(f"backprop rerun with no change (baseline): {baseline:.1f} ms")
    print(f"backprop, median per Next: {next_ms:.1f} ms (target < 150 ms)")
    print(json.dumps({"bench": "backprop_next", "next_ms": round(next_ms, 1), "baseline_rerun_ms": round(baseline, 1),
                      "ratio": round(next_ms / baseline, 2)}))
