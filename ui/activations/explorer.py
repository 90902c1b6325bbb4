"""The explorer tab: chosen functions and their derivatives on one chart, formulas, properties table."""
import streamlit as st

from core.topics.activations import charts
from core.topics.activations.functions import ACTIVATIONS, curves, max_errors_vs_torch, property_rows
from ui import t
from ui.activations import names

KEYS = list(ACTIVATIONS)


def explorer() -> None:
    """Chosen functions and (toggle) their derivatives on one chart, their formulas, and the properties table."""
    shown = names()
    # No defaults here: session state holds the link's values (ui.activations.init_state).
    keys = st.multiselect(t("act_functions"), KEYS, format_func=shown.__getitem__, key="act_explore")
    c1, c2, c3 = st.columns([2, 1, 1])
    lo, hi = c1.slider(t("act_x_range"), -10.0, 10.0, step=0.5, key="act_range")
    slope = c2.slider(t("act_slope"), 0.0, 0.5, step=0.01, key="act_slope")
    show_df = c3.toggle(t("act_show_deriv"), key="act_show_df")
    if not keys:
        st.info(t("act_pick_one"))
    elif lo >= hi:
        st.info(t("act_bad_range"))
    else:
        x, values = curves(keys, lo, hi, slope=slope)
        values = {k: (f.numpy(), df.numpy()) for k, (f, df) in values.items()}
        st.plotly_chart(charts.activation_curves(x.numpy(), values, {k: shown[k] for k in keys}, show_df, "f′(x)"),
                        key="act_curves_chart")
        value_err, deriv_err = max_errors_vs_torch(keys, x, slope)
        st.caption(t("act_checked", points=len(x), value_err=value_err, deriv_err=deriv_err))
        with st.expander(t("act_formulas"), expanded=True):
            for key in keys:
                left, right = st.columns(2)
                left.latex(ACTIVATIONS[key].latex)
                right.latex(ACTIVATIONS[key].latex_df)
    st.subheader(t("act_props"))
    # A static table, not st.dataframe: its cells wrap, so the long "where it is used" texts stay readable.
    st.table(property_rows(t), hide_index=True, border="horizontal")
    st.caption(t("act_props_note"))
