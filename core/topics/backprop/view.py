"""What the page shows, without Streamlit: the URL spec, widget values, the step navigation and the
proof table's rows."""
from core import urlstate
from core.topics.backprop.checks import GradCheck
from core.topics.backprop.latex import node_label
from core.topics.backprop.network import (ACTIVATIONS, INITS, LOSSES, MAX_LAYERS, MAX_UNITS, XOR_X, XOR_Y,
                                          BackpropConfig)
from core.topics.backprop.trace import Step


LR_MAX, SEED_MAX = 10.0, 9999          # the range of the learning-rate and seed inputs (and of a link)
EXAMPLE_CHOICES = (-1, 0, 1, 2, 3)     # the training-example choices: -1 = all four, else one XOR point
_DEFAULT = BackpropConfig()
# link name → (config field, how it is read): a link reproduces a setup, e.g. ?hidden=4,4&act=tanh&loss=bce
URL = urlstate.Binding(_DEFAULT, {
    "hidden": ("hidden", urlstate.IntList(1, MAX_UNITS, MAX_LAYERS)),
    "act": ("activation", urlstate.Choice(tuple(ACTIVATIONS))),
    "loss": ("loss", urlstate.Choice(tuple(LOSSES))),
    "lr": ("lr", urlstate.Float(0.0, LR_MAX)),
    "init": ("init", urlstate.Choice(INITS)),
    "seed": ("seed", urlstate.Int(0, SEED_MAX)),
    "example": ("example", urlstate.Int(-1, len(XOR_Y) - 1)),
})
URL_SPEC = URL.spec()


def hidden_text(sizes: tuple[int, ...]) -> str:
    """Hidden sizes as the text box holds them, (4, 3) → '4,3' (empty → the default); `parse_hidden` reads it."""
    return ",".join(str(v) for v in sizes) or hidden_text(_DEFAULT.hidden)


def widget_values(link: dict) -> dict:
    """Decoded link parameters as the widgets hold them: the same values, the hidden sizes as text."""
    return {name: hidden_text(value) if name == "hidden" else value for name, value in link.items()}


def example_fields(example: int) -> dict[str, int]:
    """x1, x2 and y of one XOR example, to name it in a label."""
    return {"x1": int(XOR_X[example, 0]), "x2": int(XOR_X[example, 1]), "y": int(XOR_Y[example])}


def move_step(step: int, delta: int, n_steps: int) -> int:
    """The step number after Next (+1) or Previous (−1), or re-clamped (0) when the step count shrank: 1..n_steps."""
    return min(max(step + delta, 1), n_steps)


def check_for(checks: list[GradCheck], step: Step) -> GradCheck | None:
    """The proof of the gradient a step computes (None when the step is not a gradient)."""
    if not step.what.startswith("grad"):
        return None
    return next((c for c in checks if c.node == step.node), None)


PROOF_COLUMNS = ("param", "ours", "autograd", "fd", "err_auto", "err_fd", "ok")  # keys of a proof_rows row


def proof_rows(checks: list[GradCheck], current_node: str) -> list[dict]:
    """The proof table: one row per gradient (keys PROOF_COLUMNS), the current step's parameter marked ▶."""
    return [{"param": ("▶ " if c.node == current_node else "") + node_label(c.node), "ours": c.ours,
             "autograd": c.autograd, "fd": c.finite_diff, "err_auto": c.err_autograd, "err_fd": c.err_fd,
             "ok": c.ok} for c in checks]
