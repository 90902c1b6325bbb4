"""The network's settings: widgets that start from the link, survive a language switch and build the config."""
import streamlit as st

from core.topics import backprop as bp
from ui import labels, lang, read_url_state, show_error, t, write_url_state

# link parameter → the widget key that holds it (its "<key>_kept" copy outlives the widget)
WIDGET_KEYS = {"hidden": "bp_hidden", "act": "bp_act", "loss": "bp_lossfn", "lr": "bp_lr", "init": "bp_init",
               "seed": "bp_seed", "example": "bp_example"}
DEFAULT = bp.BackpropConfig()  # what each widget shows before it is touched (and without a link)


def _remember(key: str, widget_key: str | None = None) -> None:
    """Copy a setting aside. Selectboxes with translated options get a key per language (else the browser
    keeps showing the old language's label), so after a switch the new widget starts from this copy."""
    st.session_state[f"{key}_kept"] = st.session_state[widget_key or key]


def _kept(key: str, default):
    return st.session_state.get(f"{key}_kept", default)


def _read_link() -> None:
    """First visit only: every setting starts from the link (a bad parameter falls back with a notice)."""
    if "bp_url_read" in st.session_state:
        return
    st.session_state.bp_url_read = True
    for name, value in bp.widget_values(read_url_state(bp.URL_SPEC)).items():
        st.session_state.setdefault(f"{WIDGET_KEYS[name]}_kept", value)


def _choice(column, key: str, label: str, options: list, default, format_func):
    """A selectbox keyed per language (see `_remember`), starting from the kept value."""
    widget_key = f"{key}.{lang()}"
    return column.selectbox(t(label), options, index=options.index(_kept(key, default)), key=widget_key,
                            on_change=_remember, args=(key, widget_key), format_func=format_func)


def _example_name(example: int) -> str:
    if example < 0:
        return t("bp_example_all")
    return t("bp_example_one", **bp.example_fields(example))


def settings() -> bp.BackpropConfig:
    """Draw the settings box and return its config; a bad network shows a message and stops the page."""
    _read_link()
    with st.container(border=True):
        cols = st.columns([1.1, 1, 1.3, 0.9, 1.3, 0.7, 1.3])
        hidden_text = cols[0].text_input(t("bp_hidden"), _kept("bp_hidden", bp.hidden_text(DEFAULT.hidden)),
                                         help=t("bp_hidden_help"), key="bp_hidden",
                                         on_change=_remember, args=("bp_hidden",))
        activation = _choice(cols[1], "bp_act", "bp_activation", list(bp.ACTIVATIONS), DEFAULT.activation,
                             labels("activation_", bp.ACTIVATIONS).get)
        loss = _choice(cols[2], "bp_lossfn", "bp_loss", list(bp.LOSSES), DEFAULT.loss,
                       labels("loss_", bp.LOSSES).get)
        init = _choice(cols[4], "bp_init", "bp_init", list(bp.INITS), DEFAULT.init, labels("init_", bp.INITS).get)
        lr = cols[3].number_input(t("bp_lr"), 0.0, bp.LR_MAX, _kept("bp_lr", DEFAULT.lr), 0.1, key="bp_lr",
                                  on_change=_remember, args=("bp_lr",))
        seed = cols[5].number_input(t("seed"), 0, bp.SEED_MAX, _kept("bp_seed", DEFAULT.seed), key="bp_seed",
                                    on_change=_remember, args=("bp_seed",))
        example = _choice(cols[6], "bp_example", "bp_example", list(bp.EXAMPLE_CHOICES), DEFAULT.example,
                          _example_name)
        st.caption(t("bp_output_note"))
    try:
        config = bp.BackpropConfig(bp.parse_hidden(hidden_text), activation, loss, float(lr), init, int(seed),
                                   int(example))
    except bp.BadNetwork as error:
        show_error(error)
        st.stop()
    write_url_state(bp.URL.values(config), bp.URL_SPEC)
    return config
