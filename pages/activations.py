"""Activation functions, softmax, one neuron by hand and in training, and the depth lab (four tabs)."""
import streamlit as st
import torch

from core.activations import (ACTIVATIONS, BadNumbers, curves, entropy_bits, max_errors_vs_torch, parse_numbers,
                              softmax, softmax_naive)
from core.charts import activations as charts
from core.depth_lab import DEPTH_RANGE, INITS, PRESETS, WIDTH_RANGE, DepthConfig, pytorch_code, run
from core.neuron import (NEURON_DATASETS, TRAINERS, TUTORIAL_BIAS, TUTORIAL_INPUTS, TUTORIAL_WEIGHTS,
                         NeuronTrainConfig, forward, make_trainer, output_surface)
from core.runtime import single_thread
from ui import t

KEYS = list(ACTIVATIONS)


def labels(prefix: str, keys) -> dict:
    """{key: translated label} fixed at this run's language (format_func must not read the session later)."""
    return {k: t(f"{prefix}{k}") for k in keys}


NAMES = labels("act_name_", KEYS)
name = NAMES.__getitem__
DEPTH_WIDGETS = {"activation": "act_d_act", "init": "act_d_init", "batchnorm": "act_d_bn", "residual": "act_d_res"}


@st.cache_data(max_entries=64, show_spinner=False)
def depth_result(config: DepthConfig):
    """One forward + backward of the depth lab's network, cached by its config."""
    return run(config)


def explorer() -> None:
    keys = st.multiselect(t("act_functions"), KEYS, default=["sigmoid", "tanh", "relu", "gelu"],
                          format_func=name, key="act_explore")
    c1, c2, c3 = st.columns([2, 1, 1])
    lo, hi = c1.slider(t("act_x_range"), -10.0, 10.0, (-6.0, 6.0), 0.5, key="act_range")
    slope = c2.slider(t("act_slope"), 0.0, 0.5, 0.1, 0.01, key="act_slope")
    show_df = c3.toggle(t("act_show_deriv"), value=True, key="act_show_df")
    if not keys:
        st.info(t("act_pick_one"))
    elif lo >= hi:
        st.info(t("act_bad_range"))
    else:
        x, values = curves(keys, lo, hi, slope=slope)
        values = {k: (f.numpy(), df.numpy()) for k, (f, df) in values.items()}
        st.plotly_chart(charts.activation_curves(x.numpy(), values, {k: name(k) for k in keys}, show_df, "f′(x)"),
                        key="act_curves_chart")
        value_err, deriv_err = max_errors_vs_torch(keys, x, slope)
        st.caption(t("act_checked", points=len(x), value_err=value_err, deriv_err=deriv_err))
        with st.expander(t("act_formulas"), expanded=True):
            for key in keys:
                left, right = st.columns(2)
                left.latex(ACTIVATIONS[key].latex)
                right.latex(ACTIVATIONS[key].latex_df)
    st.subheader(t("act_props"))
    rows = [{t("act_col_function"): name(k), t("act_col_range"): a.output_range,
             t("act_col_zero"): t(f"act_{a.zero_centred}"), t("act_col_mono"): t("act_yes" if a.monotonic else "act_no"),
             t("act_col_sat"): t(f"act_sat_{a.saturates}"), t("act_col_dead"): t(f"act_dead_{a.dead_zone}"),
             t("act_col_cost"): "●" * a.cost, t("act_col_use"): t(f"act_use_{k}")} for k, a in ACTIVATIONS.items()]
    st.dataframe(rows, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3)  # every row, no scroll
    st.caption(t("act_props_note"))


def softmax_tab() -> None:
    st.write(t("act_sm_explain"))
    c1, c2 = st.columns([2, 1])
    text = c1.text_input(t("act_logits"), "2.0, 1.0, 0.1", key="act_logits")
    temperature = c2.slider(t("act_temperature"), 0.05, 5.0, 1.0, 0.05, key="act_temp")
    st.latex(r"p_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}} = \frac{e^{(z_i - m)/T}}{\sum_j e^{(z_j - m)/T}},"
             r"\quad m = \max_j z_j")
    try:
        logits = torch.tensor(parse_numbers(text), dtype=torch.float64)  # (k,)
    except BadNumbers as error:
        st.error(t("act_bad_logits", error=t(f"act_err_{error.code}", **error.fields)), icon=":material/error:")
        return
    probs, probs_t1 = softmax(logits, temperature), softmax(logits, 1.0)
    bar_labels = [f"{t('act_class')} {i} (z={z:g})" for i, z in enumerate(logits.tolist())]
    st.plotly_chart(charts.softmax_bars(bar_labels, probs.numpy(), probs_t1.numpy(), f"T = {temperature:g}", "T = 1"),
                    key="act_softmax_chart")
    m1, m2, m3 = st.columns(3)
    m1.metric(t("act_top_p"), f"{probs.max():.3f}")
    m2.metric(t("act_entropy"), f"{entropy_bits(probs):.3f} bit")
    m3.metric(t("act_sum"), f"{probs.sum():.6f}")
    st.subheader(t("act_stable_title"))
    shift = st.slider(t("act_shift"), 0, 1000, 1000, 100, key="act_shift")
    shifted = (logits + shift).to(torch.float32)  # what a float32 network would hold
    st.dataframe({t("act_col_logit"): shifted.tolist(),
                  t("act_naive"): softmax_naive(shifted, temperature).tolist(),
                  t("act_stable"): softmax(shifted, temperature).tolist()}, width="stretch")
    st.caption(t("act_stable_note"))


def _reset_example() -> None:
    for i, (xi, wi) in enumerate(zip(TUTORIAL_INPUTS, TUTORIAL_WEIGHTS)):
        st.session_state[f"act_x{i}"], st.session_state[f"act_w{i}"] = xi, wi
    st.session_state["act_b"], st.session_state["act_n_in"] = TUTORIAL_BIAS, 3


def neuron_tab() -> None:
    st.subheader(t("act_by_hand"))
    controls, drawing = st.columns([1, 2])
    with controls:
        n = st.radio(t("act_n_inputs"), [2, 3], index=1, horizontal=True, key="act_n_in")
        cx, cw = st.columns(2)
        xs = tuple(cx.slider(f"x{i + 1}", -2.0, 2.0, TUTORIAL_INPUTS[i], 0.05, key=f"act_x{i}") for i in range(n))
        ws = tuple(cw.slider(f"w{i + 1}", -2.0, 2.0, TUTORIAL_WEIGHTS[i], 0.05, key=f"act_w{i}") for i in range(n))
        b = st.slider(t("act_bias"), -2.0, 2.0, TUTORIAL_BIAS, 0.05, key="act_b")
        act = st.selectbox(t("act_activation"), KEYS, index=0, format_func=name, key="act_neuron_act")
        st.button(t("act_reset_example"), on_click=_reset_example, key="act_reset_ex", help=t("act_example_help"),
                  icon=":material/restart_alt:")
    out = forward(xs, ws, b, act, slope=st.session_state.get("act_slope", 0.1))
    with drawing:
        st.plotly_chart(charts.neuron_diagram(xs, ws, b, out.z, out.a, name(act)), key="act_diagram_chart")
        terms = " + ".join(f"({w:g})({x:g})" for w, x in zip(ws, xs))
        st.latex(rf"z = \mathbf w \cdot \mathbf x + b = {terms} + ({b:g}) = {out.z:.4f}")
        st.latex(rf"a = f(z) = f({out.z:.4f}) = {out.a:.4f}, \qquad f'(z) = {out.slope:.4f}")
        x, values = curves([act], min(-6.0, out.z - 1), max(6.0, out.z + 1), 241, st.session_state.get("act_slope", 0.1))
        st.plotly_chart(charts.activation_at_point(x.numpy(), values[act][0].numpy(), out.z, out.a, out.slope,
                                                   name(act)), key="act_point_chart")
    st.caption(t("act_neuron_explain"))
    training_section()


def _set_running(value: bool) -> None:
    st.session_state["act_running"] = value


def _step_once() -> None:
    if "act_trainer" in st.session_state:
        with single_thread():
            st.session_state["act_trainer"].advance(1)


def training_section() -> None:
    st.subheader(t("act_train_title"))
    c1, c2, c3, c4 = st.columns(4)
    dataset = c1.selectbox(t("act_dataset"), NEURON_DATASETS, format_func=labels("act_ds_", NEURON_DATASETS).get,
                           key="act_ds")
    method = c2.radio(t("act_method"), list(TRAINERS), format_func=labels("act_method_", TRAINERS).get,
                      key="act_method")
    lr = c3.select_slider(t("act_lr"), [0.01, 0.03, 0.1, 0.3, 1.0, 3.0], 0.3 if method == "sigmoid_gd" else 0.1,
                          key=f"act_lr_{method}")
    noise = c4.slider(t("act_noise"), 0.0, 0.3, 0.05, 0.05, key="act_noise")
    st.latex(t(f"act_rule_{method}"))
    config = NeuronTrainConfig(dataset=dataset, method=method, lr=lr, noise=noise)
    b1, b2, b3, b4 = st.columns(4)
    b1.button(t("start"), on_click=_set_running, args=(True,), key="act_start", icon=":material/play_arrow:")
    b2.button(t("stop"), on_click=_set_running, args=(False,), key="act_stop", icon=":material/pause:")
    b3.button(t("step"), on_click=_step_once, key="act_step", icon=":material/skip_next:")
    if b4.button(t("reset"), key="act_reset", icon=":material/restart_alt:"):
        st.session_state.pop("act_trainer", None)
        _set_running(False)
    live_training(config)


# The timer ticks only while running; this def is re-read on every full rerun (Start/Stop rerun the page).
@st.fragment(run_every=0.25 if st.session_state.get("act_running") else None)
def live_training(config: NeuronTrainConfig) -> None:
    """Advance the neuron a few epochs per tick while running, then redraw (a fragment: no full rerun)."""
    with single_thread():  # a fragment rerun starts here, outside the page's own single_thread block
        _live_training(config)


def _live_training(config: NeuronTrainConfig) -> None:
    trainer = st.session_state.get("act_trainer")
    if trainer is None or trainer.config != config:
        trainer = st.session_state["act_trainer"] = make_trainer(config)
    if st.session_state.get("act_running"):
        trainer.advance(min(10, 1 + len(trainer.history) // 10))  # slow at first, faster later
        if trainer.done:  # converged or out of epochs: stop the timer with one full rerun
            _set_running(False)
            st.rerun()
    grid, surface = output_surface(trainer)
    left, right = st.columns([3, 2])
    left.plotly_chart(charts.decision_boundary(trainer.x.numpy(), trainer.y.numpy(), grid.numpy(), surface.numpy(),
                                               trainer.w.numpy(), float(trainer.b), [t("act_class0"), t("act_class1")]),
                      key="act_boundary_chart")
    h = trainer.history
    with right:
        last = h[-1] if h else None
        st.metric(t("act_epoch"), len(h))
        st.metric(t("act_accuracy"), f"{last.accuracy:.1%}" if last else "—")
        w, b = trainer.w.tolist(), float(trainer.b)
        st.latex(rf"{w[0]:.3f}\,x_1 {w[1]:+.3f}\,x_2 {b:+.3f} = 0")
        if trainer.converged:
            st.success(t("act_converged"))
        elif trainer.done:
            st.warning(t("act_not_separable"))
    if h:
        st.plotly_chart(charts.training_history([r.epoch for r in h], [r.loss for r in h], [r.accuracy for r in h],
                                                t(f"act_loss_{config.method}"), t("act_accuracy"), t("act_epoch")),
                        key="act_history_chart")
    if config.dataset == "xor":
        st.info(t("act_xor_note"))


def _apply_preset() -> None:
    for field, value in PRESETS[st.session_state["act_preset"]].items():
        st.session_state[DEPTH_WIDGETS[field]] = value


def depth_tab() -> None:
    st.write(t("act_depth_intro"))
    st.selectbox(t("act_preset"), list(PRESETS), format_func=labels("act_preset_", PRESETS).get, key="act_preset",
                 on_change=_apply_preset)
    c1, c2, c3, c4 = st.columns(4)
    depth = c1.slider(t("act_depth"), *DEPTH_RANGE, 20, key="act_d_depth")
    width = c1.slider(t("act_width"), *WIDTH_RANGE, 64, 8, key="act_d_width")
    act = c2.selectbox(t("act_activation"), KEYS, format_func=name, key="act_d_act")
    init = c2.selectbox(t("act_init"), list(INITS), index=1, format_func=labels("act_init_", INITS).get,
                       key="act_d_init")
    bn = c3.toggle(t("act_bn"), key="act_d_bn")
    res = c3.toggle(t("act_residual"), key="act_d_res")
    seed = c4.number_input(t("seed"), 0, 10_000, 0, key="act_d_seed")
    config = DepthConfig(depth=depth, width=width, activation=act, init=init, batchnorm=bn, residual=res, seed=seed)
    result = depth_result(config)
    g = result.grad_norms
    m1, m2, m3 = st.columns(3)
    m1.metric(t("act_loss_metric"), f"{result.loss:.4g}")
    m2.metric(t("act_ratio_metric"), f"{g[0] / g[-1]:.2e}" if g[-1] > 0 else "—")
    m3.metric(t("act_flat_metric"), f"{result.flat_share.mean():.1%}")
    if not result.finite:
        st.warning(t("act_nonfinite"))
    left, right = st.columns(2)
    left.plotly_chart(charts.gradient_norms(g, result.act_std, t("act_grad_title"), t("act_std_title"),
                                            t("act_layer"), t("act_zero_grad")), key="act_grad_chart")
    right.plotly_chart(charts.activation_histograms(result.hist, result.bin_edges, t("act_layer"), t("act_value"),
                                                    t("act_share"), t("act_hist_title")), key="act_hist_chart")
    st.markdown(t("act_depth_reading"))
    st.latex(r"\frac{\partial L}{\partial \mathbf h_1} = \Bigl(\prod_{k=2}^{L} W_k^{\top}\,"
             r"\mathrm{diag}\,f'(\mathbf z_k)\Bigr)\frac{\partial L}{\partial \mathbf h_L},\qquad"
             r"\mathrm{Var}_{\text{Xavier}}(W) = \frac{2}{n_\text{in} + n_\text{out}},\quad"
             r"\mathrm{Var}_{\text{He}}(W) = \frac{2}{n_\text{in}}")
    with st.expander(t("show_code")):
        st.code(pytorch_code(config), language="python")


st.title(t("page_activations"))
st.write(t("act_intro"))
tabs = st.tabs([t("act_tab_explore"), t("act_tab_softmax"), t("act_tab_neuron"), t("act_tab_depth")])
with single_thread():  # tiny tensors: one torch thread is fastest, and immune to a busy CPU
    for tab, draw in zip(tabs, (explorer, softmax_tab, neuron_tab, depth_tab)):
        with tab:
            draw()
