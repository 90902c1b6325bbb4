"""A headless Streamlit client: one session on a running `streamlit run` server, spoken to the way the
browser's frontend does, over the websocket at /_stcore/stream (protobuf BackMsg up, ForwardMsg down).

    async with StClient("http://127.0.0.1:8501") as c:
        await c.open("cnn_lab")                 # first run of the page at /cnn_lab
        await c.press("cnn_start")              # a button by its key (inside a fragment: a fragment run)
        await c.set_value("act_slope", 0.3)     # a widget by its key
        c.texts()                               # what is on screen, in page order

What the frontend does, as far as the server code shows it (Streamlit 1.67):
- the server runs nothing on connect; the client's first `rerun_script` BackMsg names the page by
  its URL path (`page_name`, `page_script_hash` empty); every later rerun names it by the
  `page_script_hash` of the page st.navigation resolved (its `navigation` ForwardMsg; a run's
  `new_session` carries the main script's hash until then). Sending the main script's hash
  instead would run the default page;
- a widget change or a press is a `rerun_script` whose `widget_states` carry the widget's value (a
  button's `trigger_value=True`, sent once); a widget drawn inside a fragment sends the fragment's
  id (its delta's `fragment_id`) in `ClientState.fragment_id`, so only that fragment reruns. The
  browser sends every widget's value each time; this client sends the ones it set. Nothing is
  lost by that: the server keeps a widget's previous value when a rerun does not carry it
  (SessionState._compact_state keeps it in the "old" state the widget then reads);
- `auto_rerun` (a fragment's run_every) starts a timer that sends a rerun with that fragment id and
  `is_auto_rerun=True` every interval; a full run's `new_session` cancels every timer (the script
  sends the ones it still wants again) and `stop_auto_rerun` cancels the ones it names;
- the element tree: a delta writes its `delta_path`; when a run completes, what it did not write
  is dropped (all of it after a full run; a fragment run's own region after a fragment run), the
  rule of the frontend's ClearStaleNodeVisitor as streamlit/runtime/agent/interaction.py states it.
The client never advertises cached message hashes, so every ForwardMsg arrives in full.
"""
import asyncio
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

COMPLETED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
# How each widget's value travels in a WidgetState (the value_type each widget registers with).
VALUE_FIELDS = {"slider": "double_array_value", "checkbox": "bool_value", "number_input": "double_value",
                "selectbox": "string_value", "radio": "string_value", "text_input": "string_value",
                "text_area": "string_value", "multiselect": "string_array_value",
                "select_slider": "string_array_value"}
# What `events` records of the messages that steer the session (the rest are deltas and page facts).
EVENT_DETAIL = {"new_session": lambda m: f"fragments={list(m.metadata.run.fragment_ids)}",
                "script_finished": lambda m: f"status={m.script_finished}",
                "auto_rerun": lambda m: f"interval={m.auto_rerun.interval} fragment={m.auto_rerun.fragment_id}",
                "stop_auto_rerun": lambda m: f"fragments={list(m.stop_auto_rerun.fragment_ids)}"}


@dataclass
class Run:
    """One script run of the session, as the client saw it (times from time.monotonic())."""
    run_id: str                       # metadata.run.script_run_id
    fragment_ids: tuple[str, ...]     # empty for a full run
    started: float                    # when its new_session arrived
    finished: float | None = None     # when its script_finished arrived
    status: int | None = None         # ForwardMsg.ScriptFinishedStatus


@dataclass
class _Node:
    run_id: str
    delta: object                     # streamlit.proto.Delta


def element_text(element) -> str:
    """The text an element shows (progress line, alert, markdown, heading, a widget's label...)."""
    kind = element.WhichOneof("type")
    if kind is None:
        return ""
    body = getattr(element, kind)
    if kind == "exception":
        return f"{body.type}: {body.message}"
    if kind == "metric":
        return f"{body.label} {body.body}"
    for name in ("text", "body", "label", "message"):
        if name in body.DESCRIPTOR.fields_by_name and getattr(body, name):
            return getattr(body, name)
    return ""


@dataclass
class StClient:
    """One Streamlit session over the server's websocket; use as `async with StClient(url) as c`."""
    base_url: str
    name: str = ""                                    # for messages only
    follow_auto_reruns: bool = True                   # act on auto_rerun as the frontend does
    on_delta: Callable[["StClient", object, float], None] | None = None  # (client, Element, t) per new element
    runs: list[Run] = field(default_factory=list)
    page_script_hash: str = ""
    query_string: str = ""
    session_id: str = ""
    events: list[tuple[float, str]] | None = None     # a list to record the protocol's events in (debugging)

    def __post_init__(self):
        self._nodes: dict[tuple[int, ...], _Node] = {}
        self._set: dict[str, WidgetState] = {}       # widget id -> the value this client last set
        self._timers: dict[str, asyncio.Task] = {}   # fragment id -> auto-rerun task
        self._waiters: list[asyncio.Future] = []    # wait_for()s to wake at the next message
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._page_name = ""
        self.sent_reruns = 0
        self.auto_reruns_sent = 0

    # --- connection ---------------------------------------------------------------------------

    async def __aenter__(self):
        await self.connect()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def connect(self) -> None:
        """Open the websocket (subprotocol "streamlit", as the frontend; no cookies, no Origin)."""
        parts = urlsplit(self.base_url)
        # max_size None: a ForwardMsg (a chart's spec) can be far above websockets' 1 MiB default;
        # no pings of our own: a browser sends none, and a busy server must not lose us for it.
        self._ws = await connect(f"ws://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream",
                                 subprotocols=["streamlit"], max_size=None, ping_interval=None,
                                 open_timeout=30)
        self._reader = asyncio.create_task(self._read(), name=f"st-read-{self.name}")

    async def close(self) -> None:
        """Cancel the timers and the reader, close the websocket (the server then ends the session)."""
        self._cancel_timers()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    # --- what the page shows --------------------------------------------------------------------

    def elements(self) -> list[tuple[tuple[int, ...], object, str]]:
        """(delta path, Element, fragment id) of every element on screen, in page order."""
        return [(path, node.delta.new_element, node.delta.fragment_id)
                for path, node in sorted(self._nodes.items()) if node.delta.WhichOneof("type") == "new_element"]

    def texts(self) -> list[str]:
        """The non-empty texts of the elements on screen, in page order."""
        return [text for _, el, _ in self.elements() if (text := element_text(el))]

    def widget(self, key: str) -> tuple[object, object, str]:
        """(Element, its widget proto, fragment id) of the widget with user key `key` (ids end in -key)."""
        for _, el, fragment_id in self.elements():
            kind = el.WhichOneof("type")
            proto = getattr(el, kind) if kind else None
            if proto is not None and getattr(proto, "id", "").endswith(f"-{key}"):
                return el, proto, fragment_id
        raise KeyError(f"{self.name}: no widget with key {key!r} on screen")

    def last_run(self) -> Run | None:
        """The newest run the server started for this session."""
        return self.runs[-1] if self.runs else None

    # --- sending --------------------------------------------------------------------------------

    async def rerun(self, widgets: list[WidgetState] = (), fragment_id: str = "", auto: bool = False) -> int:
        """Send a rerun_script BackMsg as the frontend does; return how many runs had started before it."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        if self.page_script_hash:
            state.page_script_hash = self.page_script_hash
        else:  # before the first new_session the frontend only knows the URL path
            state.page_name = self._page_name
        states = {w.id: w for w in self._set.values()}
        states.update({w.id: w for w in widgets})
        state.widget_states.widgets.extend(states.values())
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url = f"{self.base_url.rstrip('/')}/{self._page_name}"
        before = len(self.runs)
        if self.events is not None:
            self.events.append((time.monotonic(), f"send rerun fragment={bool(fragment_id)} auto={auto} "
                                                  f"widgets={len(state.widget_states.widgets)}"))
        await self._ws.send(msg.SerializeToString())
        self.sent_reruns += 1
        return before

    async def open(self, page: str = "", query_string: str = "", timeout: float = 120) -> Run:
        """The first run of the page at URL path `page` ("" is the default page); wait until it finishes."""
        self._page_name, self.query_string, self.page_script_hash = page, query_string, ""
        before = await self.rerun()
        return await self.wait_run(before, timeout)

    async def press(self, key: str, timeout: float = 120, wait: bool = True) -> Run | int:
        """Press the button `key` (trigger_value, with its fragment's id); wait for the run it caused
        to complete unless `wait` is False (then return the run count to pass to wait_run)."""
        _, button, fragment_id = self.widget(key)
        if button.disabled:
            raise RuntimeError(f"{self.name}: button {key!r} is disabled")
        trigger = WidgetState(id=button.id, trigger_value=True)  # sent once: not kept in self._set
        before = await self.rerun([trigger], fragment_id=fragment_id)
        return await self.wait_run(before, timeout) if wait else before

    async def set_value(self, key: str, value, timeout: float = 120, wait: bool = True) -> Run | int:
        """Set widget `key` to `value` (a slider's number or tuple, an option's label, ...) and rerun."""
        el, proto, fragment_id = self.widget(key)
        kind = el.WhichOneof("type")
        state = WidgetState(id=proto.id)
        field_name = VALUE_FIELDS[kind]
        if field_name.endswith("_array_value"):
            values = list(value) if isinstance(value, (list, tuple)) else [value]
            getattr(state, field_name).data.extend(values)
        else:
            setattr(state, field_name, value)
        self._set[proto.id] = state
        before = await self.rerun(fragment_id=fragment_id)
        return await self.wait_run(before, timeout) if wait else before

    # --- waiting --------------------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[], object], timeout: float) -> object:
        """Wait until predicate() is truthy (checked after every message); return its value."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.name}: condition not met in {timeout} s")
            if self._reader.done():
                raise ConnectionError(f"{self.name}: connection closed")
            # One future per waiter, resolved by the next message: no wake-up is lost between the
            # check above and the wait, whoever else is waiting.
            news = asyncio.get_running_loop().create_future()
            self._waiters.append(news)
            try:
                await asyncio.wait_for(news, min(left, 1.0))
            except TimeoutError:
                pass
        return result

    async def wait_run(self, before: int, timeout: float = 120) -> Run:
        """The first run started after the first `before` runs that completed (a run cut short for a
        rerun is followed by the run that replaced it); wait for it. With other reruns in flight
        (auto-rerun ticks) that run may have been asked for by one of them instead."""
        def done():
            return next((r for r in self.runs[before:] if r.status in COMPLETED), None)
        return await self.wait_for(done, timeout)

    # --- receiving ------------------------------------------------------------------------------

    async def _read(self) -> None:
        async for data in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            self._handle(msg, time.monotonic())
            waiters, self._waiters = self._waiters, []
            for news in waiters:
                if not news.done():
                    news.set_result(None)

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        if self.events is not None and kind in EVENT_DETAIL:
            self.events.append((now, f"{kind} {EVENT_DETAIL[kind](msg)}"))
        if kind == "new_session":
            run = Run(msg.metadata.run.script_run_id, tuple(msg.metadata.run.fragment_ids), now)
            self.runs.append(run)
            if msg.new_session.page_script_hash != msg.new_session.main_script_hash:
                self.page_script_hash = msg.new_session.page_script_hash  # else st.navigation says (below)
            self.session_id = msg.new_session.initialize.session_id
            if not run.fragment_ids:  # a full run: the frontend drops every auto-rerun timer
                self._cancel_timers()
        elif kind == "delta":
            self._add_delta(msg, now)
        elif kind == "script_finished":
            run = next((r for r in reversed(self.runs) if r.run_id == msg.metadata.run.script_run_id),
                       self.last_run())
            if run is not None:
                run.finished, run.status = now, msg.script_finished
                if msg.script_finished in COMPLETED:
                    self._drop_stale(run)
        elif kind == "auto_rerun" and self.follow_auto_reruns:
            self._start_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._cancel_timers(msg.stop_auto_rerun.fragment_ids)
        elif kind == "navigation":  # st.navigation resolved the page: later reruns name it by its hash
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":  # the frontend puts it in the address bar and sends it back
            self.query_string = msg.page_info_changed.query_string

    def _add_delta(self, msg: ForwardMsg, now: float) -> None:
        if msg.delta.WhichOneof("type") not in ("new_element", "add_block"):
            return  # transients (spinners, toasts) are not part of the tree
        run = self.last_run()
        self._nodes[tuple(msg.metadata.delta_path)] = _Node(run.run_id if run else "", msg.delta)
        if self.on_delta is not None and msg.delta.WhichOneof("type") == "new_element":
            self.on_delta(self, msg.delta.new_element, now)

    def _drop_stale(self, run: Run) -> None:
        """What the completed `run` owned and did not write is gone (see the module docstring)."""
        if not run.fragment_ids:
            self._nodes = {p: n for p, n in self._nodes.items() if n.run_id == run.run_id}
            return
        running = set(run.fragment_ids)
        replaced = {p for p, n in self._nodes.items()
                    if n.delta.fragment_id in running and n.delta.WhichOneof("type") == "add_block"}

        def stale(path, node):
            if node.run_id == run.run_id:
                return False
            return node.delta.fragment_id in running or any(path[:d] in replaced for d in range(1, len(path)))
        self._nodes = {p: n for p, n in self._nodes.items() if not stale(p, n)}

    # --- auto-reruns ----------------------------------------------------------------------------

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        self._cancel_timers([fragment_id])
        self._timers[fragment_id] = asyncio.create_task(self._tick(fragment_id, interval))

    async def _tick(self, fragment_id: str, interval: float) -> None:
        # setInterval in the frontend: a tick is sent whether or not the previous one has finished
        # (the server coalesces reruns that wait behind a running script).
        while True:
            await asyncio.sleep(interval)
            try:
                await self.rerun(fragment_id=fragment_id, auto=True)
            except ConnectionClosed:  # the session is gone
                return
            self.auto_reruns_sent += 1

    def _cancel_timers(self, fragment_ids=None) -> None:
        for fid in list(self._timers if fragment_ids is None else fragment_ids):
            task = self._timers.pop(fid, None)
            if task is not None:
                task.cancel()

    @property
    def timers(self) -> tuple[str, ...]:
        """Fragment ids whose auto-rerun timers are running."""
        return tuple(self._timers)
