"""ui.live.press_waiting reads Streamlit's own pending-rerun record (private in 1.67): checked here
against Streamlit's real ScriptRequests and widget protos, so a Streamlit upgrade that changes them
fails this test instead of silently making every slice run to its time limit."""
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

from ui.live import press_waiting


def states(*, clicked: str | None = None, slider: float | None = None) -> WidgetStates:
    out = WidgetStates()
    button = out.widgets.add()
    button.id, button.trigger_value = "$$ID-stop-cnn_stop", clicked is not None
    if slider is not None:
        moved = out.widgets.add()
        moved.id, moved.double_value = "$$ID-lr", slider
    return out


def timer_tick() -> RerunData:
    return RerunData(widget_states=states(), fragment_id="frag", is_auto_rerun=True)


def test_nothing_pending():
    assert not press_waiting(ScriptRequests())


def test_timer_ticks_alone_do_not_count():
    requests = ScriptRequests()
    requests.request_rerun(timer_tick())
    requests.request_rerun(timer_tick())
    assert not press_waiting(requests)


def test_a_click_counts_even_when_a_later_tick_is_folded_in():
    requests = ScriptRequests()
    requests.request_rerun(timer_tick())
    requests.request_rerun(RerunData(widget_states=states(clicked="stop"), fragment_id="frag"))
    assert press_waiting(requests)
    requests.request_rerun(timer_tick())  # Streamlit keeps the click's trigger when coalescing
    assert press_waiting(requests)


def test_a_moved_widget_counts():
    requests = ScriptRequests()
    requests.request_rerun(RerunData(widget_states=states(slider=0.5)))
    assert press_waiting(requests)


def test_a_taken_request_no_longer_counts():
    requests = ScriptRequests()
    requests.request_rerun(RerunData(widget_states=states(clicked="stop"), fragment_id="frag"))
    requests.on_scriptrunner_ready()  # the script runner takes it: the press is being served
    assert not press_waiting(requests)


def test_outside_a_script_run():
    assert not press_waiting()
