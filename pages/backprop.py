"""Backpropagation, one number at a time, proven against autograd (the tutorials' §2.1-2.2 and XOR net)."""
import inspect

import pandas as pd
import streamlit as st

from core import backprop as bp
from core import losses, simple_nn, urlstate
from core.charts import backprop as charts
from ui import lang, read_url_state, show_error, t, write_url_state

BADGE = {"forward": "blue", "loss": "violet", "backward": "orange", "update": "green"}
# link parameter → (widget key, URL spec): a link reproduces a setup, e.g. ?hidden=4,4&act=tanh&loss=bce
URL = {"hidden": ("bp_hidden", urlstate.IntList(1, bp.MAX_UNITS, bp.MAX_LAYERS, (2,))),
       "act": ("bp_act", urlstate.Choice(tuple(bp.ACTIVATIONS), "sigmoid")),
       "loss": ("bp_lossfn", urlstate.Choice(tuple(bp.LOSSES), "mse")),
       "lr": ("bp_lr", urlstate.Float(0.0, 10.0, 1.0)),
       "init": ("bp_init", urlstate.Choice(tuple(bp.INITS), "xavier")),
       "seed": ("bp_seed", urlstate.Int(0, 9999, 1)),
       "example": ("bp_example", urlstate.Int(-1, 3, -1))}
SPEC = {name: spec for name, (_, spec) in URL.items()}


@st.cache_data(max_entries=64, show_spinner=False)
def cached_trace(config: bp.BackpropConfig) -> tuple[bp.Trace, list[bp.GradCheck]]:
    """The recorded step and its proof, keyed by the config: Next only re-renders."""
    tr = bp.trace(config)
    return tr, bp.check_gradients(tr)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_training(config: bp.BackpropConfig, steps: int):
    result = bp.train(config, steps)
    grids = [bp.decision_grid(p, config.activation) for p in result.snapshots]
    return result, grids[0][0], [g for _, g in grids]


def _move(delta: int, n: int) -> None:
    st.session_state.bp_step = min(max(st.session_state.bp_step + delta, 1), n)


def _remember(key: str, widget_key: str | None = None) -> None:
    """Copy a setting aside. Selectboxes with translated options get a key per language (else the browser
    keeps showing the old language's label), so after a switch the new widget starts from this copy."""
    st.session_state[f"{key}_kept"] = st.session_state[widget_key or key]


def _kept(key: str, default):
    return st.session_state.get(f"{key}_kept", default)


def _toggle_play() -> None:
    st.session_state.bp_play = not st.session_state.get("bp_play", False)


st.title(t("page_backprop"))
st.markdown(t("bp_intro"))
if "bp_url_read" not in st.session_state:  # first visit: the settings start from the link
    st.session_state.bp_url_read = True
    for name, value in read_url_state(SPEC).items():
        key = URL[name][0]
        value = (",".join(str(v) for v in value) or "2") if name == "hidden" else value
        st.session_state.setdefault(f"{key}_kept", value)
with st.container(border=True):
    cols = st.columns([1.1, 1, 1.3, 0.9, 1.3, 0.7, 1.3])
    keep = dict(on_change=_remember)
    hidden_text = cols[0].text_input(t("bp_hidden"), _kept("bp_hidden", "2"), help=t("bp_hidden_help"), key="bp_hidden",
                                     args=("bp_hidden",), **keep)
    choices = {"bp_act": (list(bp.ACTIVATIONS), "sigmoid", "bp_act_"), "bp_lossfn": (list(bp.LOSSES), "mse", "bp_loss_"),
               "bp_init": (list(bp.INITS), "xavier", "bp_init_")}
    activation, loss, init = (
        col.selectbox(t(label), options, index=options.index(_kept(key, default)), key=f"{key}.{lang()}",
                      args=(key, f"{key}.{lang()}"), **keep,
                      format_func=lambda k, prefix=prefix: t(prefix + k))
        for col, label, (key, (options, default, prefix)) in zip((cols[1], cols[2], cols[4]),
                                                                  ("bp_activation", "bp_loss", "bp_init"), choices.items()))
    lr = cols[3].number_input(t("bp_lr"), 0.0, 10.0, _kept("bp_lr", 1.0), 0.1, key="bp_lr", args=("bp_lr",), **keep)
    seed = cols[5].number_input(t("seed"), 0, 9999, _kept("bp_seed", 1), key="bp_seed", args=("bp_seed",), **keep)
    example = cols[6].selectbox(t("bp_example"), [-1, 0, 1, 2, 3], index=_kept("bp_example", -1) + 1,
                                key=f"bp_example.{lang()}", args=("bp_example", f"bp_example.{lang()}"), **keep, format_func=lambda e: t("bp_example_all") if e < 0 else t(
        "bp_example_one", x1=int(bp.XOR_X[e, 0]), x2=int(bp.XOR_X[e, 1]), y=int(bp.XOR_Y[e])))
    st.caption(t("bp_output_note"))
try:
    config = bp.BackpropConfig(bp.parse_hidden(hidden_text), activation, loss, float(lr), init, int(seed), int(example))
except bp.BadNetwork as error:
    show_error(error)
    st.stop()
write_url_state({"hidden": config.hidden, "act": config.activation, "loss": config.loss, "lr": config.lr,
                 "init": config.init, "seed": config.seed, "example": config.example}, SPEC)
tr, checks = cached_trace(config)
n_steps = len(tr.steps)
# the slider's own state is dropped while another tab is shown, so a plain copy remembers the step
st.session_state.bp_step = min(st.session_state.get("bp_step", st.session_state.get("bp_step_kept", 1)), n_steps)
tab_step, tab_train, tab_losses, tab_twin = st.tabs(
    [t("bp_tab_step"), t("bp_tab_train"), t("bp_tab_losses"), t("bp_tab_twin")], key="bp_tab", on_change="rerun")


def stepper() -> None:
    """Buttons, the current formula, the graph and the proof table; reruns alone on Next / Previous."""
    if st.session_state.get("bp_play"):  # Play: one step per timer tick; at the end stop the timer
        if st.session_state.bp_step >= n_steps:
            st.session_state.bp_play = False
            st.rerun(scope="app")
        st.session_state.bp_step += 1
    i = st.session_state.bp_step_kept = st.session_state.bp_step
    buttons = st.columns([1, 1, 6])
    buttons[0].button(t("bp_prev"), on_click=_move, args=(-1, n_steps), disabled=i <= 1, icon=":material/skip_previous:",
                      key="bp_prev_button", width="stretch")
    buttons[1].button(t("bp_next"), on_click=_move, args=(1, n_steps), disabled=i >= n_steps, icon=":material/skip_next:",
                      key="bp_next_button", width="stretch", type="primary")
    buttons[2].slider(t("bp_step_slider"), 1, n_steps, key="bp_step", label_visibility="collapsed")
    step = tr.steps[i - 1]
    st.markdown(f":{BADGE[step.kind]}-badge[{t('bp_kind_' + step.kind)}] **{t('bp_step_of', i=i, n=n_steps)}** · "
                f"{t('bp_what_' + step.what)}")
    st.latex(bp.display_latex(step.latex))
    check = next((c for c in checks if c.node == step.node and step.what.startswith("grad")), None)
    if check:
        st.caption(t("bp_step_proof", auto=f"{check.autograd:.6g}", fd=f"{check.finite_diff:.6g}",
                     err=f"{check.err_autograd:.1e}"))
    st.plotly_chart(charts.graph_figure(tr, i - 1), width="stretch", key="bp_graph")
    st.caption(t("bp_graph_caption"))
    st.subheader(t("bp_proof"))
    st.caption(t("bp_proof_intro"))
    rows = [{t("bp_col_param"): ("▶ " if c.node == step.node else "") + bp.node_label(c.node),
             t("bp_col_ours"): c.ours, t("bp_col_autograd"): c.autograd, t("bp_col_fd"): c.finite_diff,
             t("bp_col_err_auto"): c.err_autograd, t("bp_col_err_fd"): c.err_fd, t("bp_col_ok"): c.ok} for c in checks]
    green = [("background-color: #d4f4dd" if c.ok else "background-color: #fbd5d5") for c in checks]
    styled = pd.DataFrame(rows).style.apply(lambda col: green, axis=0).format(
        {t("bp_col_ours"): "{:.6g}", t("bp_col_autograd"): "{:.6g}", t("bp_col_fd"): "{:.6g}",
         t("bp_col_err_auto"): "{:.1e}", t("bp_col_err_fd"): "{:.1e}"})
    st.dataframe(styled, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 640))
    bad = sum(not c.ok for c in checks)
    if bad:
        st.error(t("bp_proof_bad", bad=bad, n=len(checks)))
    else:
        st.success(t("bp_proof_ok", n=len(checks)))
    if any(c.kink for c in checks):
        st.info(t("bp_kink"), icon=":material/info:")


if tab_step.open is not False:
    with tab_step:
        playing = st.session_state.get("bp_play", False)
        st.button(t("bp_pause") if playing else t("bp_play"), on_click=_toggle_play, key="bp_play_button",
                  icon=":material/pause:" if playing else ":material/play_arrow:")
        st.fragment(run_every=0.8 if playing else None)(stepper)()

if tab_train.open:
    with tab_train:
        st.caption(t("bp_train_intro"))
        train_steps = st.slider(t("bp_train_steps"), 10, 5000, 2000, 10, key="bp_train_steps")
        result, axis, grids = cached_training(bp.BackpropConfig(**{**config.__dict__, "example": -1}), train_steps)
        left, right = st.columns(2)
        left.markdown(f"**{t('bp_loss_curve')}**")
        left.plotly_chart(charts.loss_curve_figure(result.losses, t("bp_axis_step"), t("bp_axis_loss")), width="stretch")
        right.markdown(f"**{t('bp_boundary')}**")
        right.plotly_chart(charts.boundary_figure(axis, grids, result.snapshot_steps, bp.XOR_X, bp.XOR_Y, t("bp_axis_step")),
                           width="stretch")
        correct = (result.predictions > 0.5) == (bp.XOR_Y > 0.5)
        left.markdown(f"**{t('bp_predictions')}**")
        left.dataframe([{"x₁": x[0], "x₂": x[1], t("bp_col_target"): y, t("bp_col_pred"): round(float(p), 4),
                         t("bp_col_correct"): bool(c)} for x, y, p, c in zip(bp.XOR_X, bp.XOR_Y, result.predictions, correct)],
                       hide_index=True, width="stretch")
        final = f"{result.losses[-1]:.4g}"
        if correct.all():
            st.success(t("bp_learned", loss=final))
        else:
            st.warning(t("bp_not_learned", loss=final))
        stuck = [str(k + 1) for k, same in enumerate(result.symmetric) if same]
        if stuck:
            st.warning(t("bp_symmetry_warning", layers=", ".join(stuck)), icon=":material/content_copy:")
        if config.init == "zeros":
            st.info(t("bp_zero_init_info"), icon=":material/info:")
        st.markdown(t("bp_final_weights"))
        st.latex(r"W^{(1)} = " + losses.matrix_latex(result.weights[0]))

if tab_losses.open:
    with tab_losses:
        st.caption(t("bp_losses_intro"))
        c1, c2 = st.columns(2)
        target = c1.radio(t("bp_target"), [1, 0], horizontal=True, key="bp_target")
        wrt = c2.radio(t("bp_wrt"), ["d_yhat", "d_z"], horizontal=True, key="bp_wrt", format_func=lambda k: t(f"bp_wrt_{k[2:]}"))
        p, curves = losses.binary_curves(target)
        st.plotly_chart(charts.loss_functions_figure(p, curves, {k: t(f"bp_loss_{k}") for k in curves}, wrt,
                                                     (t("bp_loss_value"), t("bp_loss_grad")), t("bp_axis_pred")), width="stretch")
        st.info(t("bp_losses_note"), icon=":material/lightbulb:")
        st.subheader(t("bp_worked"))
        st.caption(t("bp_worked_intro"))
        st.latex(r"y_{\text{true}} = " + losses.matrix_latex(losses.WORKED_TRUE) + r",\quad y_{\text{pred}} = "
                 + losses.matrix_latex(losses.WORKED_PRED))
        for row in losses.worked_example():
            with st.container(border=True):
                st.markdown(f"**{t('bp_loss_' + row.name)}**")
                st.latex(row.formula)
                for k, line in enumerate(row.per_sample_latex, start=1):
                    st.latex(rf"\text{{{t('bp_sample', i=k)}}}:\ {line}")
                st.latex(rf"\text{{{t('bp_mean')}}}:\ {row.mean_latex}")
                st.caption(t("bp_torch_value", value=f"{row.torch_value:.6f}"))
                st.latex(r"\frac{\partial\,\mathrm{" + row.name.upper() + r"}}{\partial y_{\text{pred}}} = " + losses.matrix_latex(row.grad))

if tab_twin.open:
    with tab_twin:
        st.caption(t("bp_twin_intro"))
        twin_steps = st.slider(t("bp_twin_steps"), 1, 20, 5, key="bp_twin_steps")
        twins = simple_nn.side_by_side(config.hidden[0], config.lr, twin_steps, config.seed)
        st.dataframe([{t("bp_step_slider"): r.step, t("bp_col_numpy_loss"): r.numpy_loss, t("bp_col_torch_loss"): r.torch_loss,
                       t("bp_col_weight_diff"): f"{r.max_weight_diff:.1e}"} for r in twins], hide_index=True, width="stretch")
        diff = max(r.max_weight_diff for r in twins)
        show = st.success if diff < 1e-9 else st.error
        show(t("bp_twin_ok" if diff < 1e-9 else "bp_twin_bad", n=twin_steps, diff=f"{diff:.1e}"))
        left, right = st.columns(2)
        left.markdown(f"**{t('bp_twin_numpy')}**")
        left.code(inspect.getsource(simple_nn.SimpleNeuralNetwork), language="python", wrap_lines=True)
        right.markdown(f"**{t('bp_twin_torch')}**")
        right.code(inspect.getsource(simple_nn.TorchSimpleNet) + "\n\n" + inspect.getsource(simple_nn.train_torch), language="python", wrap_lines=True)
