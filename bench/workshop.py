"""A workshop on one server: N learners train the CNN lab's default setup at once while an observer
moves a slider on another page; how long the runs take, how live they look, how the server holds up.

    python -m bench.workshop [--sizes 1,5,10,20]

For each N a fresh `streamlit run app.py` is started (tests/browser/conftest.start_server: a free
port, PLAYGROUND_OFFLINE=1, an empty model cache, so nothing is served from an earlier run). Every
learner and the observer is its own Streamlit session speaking Streamlit's own client protocol,
as the browser does, with no browser: the websocket at /_stcore/stream, protobuf BackMsg /
ForwardMsg (bench/st_client.py, which says what the frontend sends and when). The N learners open
/cnn_lab and press Start (`cnn_start`, in the live panel's fragment) within 3 s of each other,
then follow their runs through the fragment's auto-reruns like a browser tab does.

Measured per N:
- finish: from a learner's press until its run is done on screen (the panel's "Finished (...)"
  progress line or the "Run #k finished" message, whichever comes first); "result" is until the
  message (after the test-set pass);
- gaps: the updates a learner sees are every change of the progress line ("Training · step
  34/171 ...") and every queue notice the server sends ("Queued: k learners' runs ahead",
  "next", "Starting"); a learner's longest gap runs from the press, between updates, to the end
  (or the time-out, 60 s + 40 s x N). longest_gap_s is the worst learner's, gap_median_s the
  median of the learners' longest gaps;
- observer: one session on /activations moves the `act_slope` slider every 2 s while the learners
  train: from sending the BackMsg until that rerun's script_finished; median and p95;
- rss_peak_mb: the server process and all its descendants (the job runner's workers), VmRSS summed,
  sampled every 0.5 s from the server's start to the end of the round (libraries the processes
  share are counted in each); pss_peak_mb the same tree's proportional set size (a page shared by
  k processes counts 1/k in each: what the tree costs the machine), server_rss_peak_mb the server
  process alone;
- for finding the bottleneck: refresh_gap_max_s, the longest time between two fragment runs
  completed for a training learner (the server's script side), and the CPU the server process and
  its workers used from the first press to the last finish, and what other processes on the
  machine used meanwhile (cpu_*_pct, % of one core; this client's own use is left out).
Targets: every learner finishes; the last within 1.5 x N x single (single: the N = 1 median);
no learner waits 3 s or more for an update; observer p95 under 1 s; RSS peak under 3 GB.
Last line: {"bench": "workshop", "protocol": "streamlit websocket", "single_s": s,
            "sizes": {"<N>": {"learners", "finished", "finish_median_s", "finish_max_s",
                              "longest_gap_s", "gap_median_s", "observer_median_s", "observer_p95_s",
                              "rss_peak_mb", "targets": {...}, diagnostics...}}}
"""
import argparse
import asyncio
import json
import math
import os
import runpy
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.st_client import StClient, element_text  # noqa: E402
from tests.browser.conftest import start_server, stop_server  # noqa: E402

# The app's own English strings, read as plain files: importing core.locales would import core,
# which loads torch into this client process for nothing.
LIVE = runpy.run_path(str(ROOT / "core/locales/live.py"))["EN"]
CNN = runpy.run_path(str(ROOT / "core/topics/cnn_lab/strings.py"))["EN"]
DONE_LINE = LIVE["live_done_line"].split("{")[0]                       # "Finished ("
RESULT = (CNN["cnn_done"].split("{")[0], CNN["cnn_done"].split("}")[1].split("{")[0])  # "Run #", " finished ("
QUEUED = (LIVE["live_queued"].split("{")[0], LIVE["live_queued_next"], LIVE["live_starting"])
FAILED = tuple(LIVE[k].split("{")[0] for k in ("live_failed", "live_dropped", "live_refused_session_full",
                                               "live_refused_server_full"))
STAGGER_S = 2.9    # presses spread over this, so all fall within 3 s of each other
OBSERVER_EVERY_S = 2.0
SLOPES = (0.2, 0.35)  # the observer alternates these (act_slope: 0.0..0.5, step 0.01)
SAMPLE_S = 0.5


@dataclass
class Learner:
    """One learner's session and what it saw after pressing Start (times from time.monotonic())."""
    client: StClient
    pressed: float | None = None
    updates: list[float] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)     # what each update showed (for where the longest gap was)
    progress: str = ""
    done: float | None = None        # first sign of the end: "Finished (...)" or the result message
    result: float | None = None      # the "Run #k finished" message
    failed: str | None = None

    def see(self, element, now: float) -> None:
        """Classify one element the server sent (st_client's on_delta hook)."""
        if self.pressed is None or self.failed:
            return
        kind, text = element.WhichOneof("type"), element_text(element)
        if kind == "progress" and text != self.progress:
            self.progress = text
            self._update(now, text)
            if text.startswith(DONE_LINE):
                self._done(now)
        elif kind == "alert":
            if text.startswith(QUEUED):
                self._update(now, text)
            elif text.startswith(RESULT[0]) and RESULT[1] in text:
                self._update(now, text)
                self._done(now)
                self.result = self.result or now
            elif text.startswith(FAILED):
                self.failed = text

    def _update(self, now: float, text: str) -> None:
        if self.done is None:
            self.updates.append(now)
            self.seen.append(text)

    def _done(self, now: float) -> None:
        self.done = self.done or now

    def refresh_gap(self, end: float) -> float:
        """The longest time between two fragment runs the server completed for this session while
        its run went on: long refresh gaps point at the server's script side, long update gaps
        with short refresh gaps at the trainer (the refreshes had nothing new to show)."""
        if self.pressed is None:
            return 0.0
        marks = [self.pressed, *(r.finished for r in self.client.runs if r.fragment_ids and r.finished
                                 and self.pressed < r.finished < (self.done or end)), self.done or end]
        return max(b - a for a, b in zip(marks, marks[1:]))

    def longest_gap(self, end: float) -> float:
        """The longest time without an update from the press to the end of the run (or `end`)."""
        return self.gap_where(end)[0]

    def gap_where(self, end: float) -> tuple[float, float, str]:
        """(the longest gap, when it began in s after the press, what the screen showed then)."""
        if self.pressed is None:
            return 0.0, 0.0, ""
        marks = [self.pressed, *self.updates, self.done or end]
        labels = ["(pressed)", *self.seen]
        i = max(range(len(marks) - 1), key=lambda k: marks[k + 1] - marks[k])
        return marks[i + 1] - marks[i], marks[i] - self.pressed, labels[i]


def _p95(values: list[float]) -> float | None:
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _tree(root: int) -> list[int]:
    """`root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                # The command name is in parentheses and may hold spaces: ppid is the 2nd field after it.
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    pids, todo = [], [root]
    while todo:
        pids.append(pid := todo.pop())
        todo.extend(children.get(pid, ()))
    return pids


def _memory_mb(pids: list[int], file: str, field: str) -> float:
    """The `field:` line (in kB) of /proc/<pid>/<file>, summed over `pids`, in MB."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass  # it exited between the two reads
    return total_kb / 1024


def _tree_rss_mb(root: int) -> float:
    """VmRSS of `root` and all its descendants, summed, in MB."""
    return _memory_mb(_tree(root), "status", "VmRSS")


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of `root` and its descendants, summed, in MB: a page shared by k of
    them counts 1/k in each (torch's libraries, mapped by the server and every worker), so this
    sum is what the tree costs the machine, where the RSS sum counts shared pages once per process."""
    return _memory_mb(_tree(root), "smaps_rollup", "Pss")


def _rss_mb(pid: int) -> float:
    """VmRSS of one process, in MB (0 once it has gone)."""
    return _memory_mb([pid], "status", "VmRSS")


def _tree_cpu_s(root: int) -> dict[int, float]:
    """CPU seconds (user + system) so far of `root` and each descendant, by pid."""
    seconds = {}
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return seconds


def _cpu_reading(root: int) -> tuple[dict[int, float], float, float]:
    """(the server tree's CPU seconds by pid, this process's, the whole machine's busy seconds)."""
    busy = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    machine = (sum(busy[:8]) - busy[3] - busy[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
    mine = sum(os.times()[:2])
    return _tree_cpu_s(root), mine, machine


def _cpu_pct(root: int, before: tuple, after: tuple, wall: float) -> tuple[int, int, int]:
    """CPU between two _cpu_reading()s in % of one core: (server process, its descendants, everything
    else on the machine but this client): the last says whether the server had the cores to itself."""
    used = {pid: s - before[0].get(pid, 0.0) for pid, s in after[0].items()}
    main, workers = used.pop(root, 0.0), sum(used.values())
    other = (after[2] - before[2]) - main - workers - (after[1] - before[1])
    return tuple(round(100 * x / wall) for x in (main, workers, max(0.0, other)))


async def _sample_rss(pid: int, peak: list[float], stop: asyncio.Event) -> None:
    """peak = [RSS of the tree, PSS of the tree, RSS of the server process alone], peaks in MB."""
    while not stop.is_set():
        peak[0] = max(peak[0], _tree_rss_mb(pid))
        peak[1] = max(peak[1], _tree_pss_mb(pid))
        peak[2] = max(peak[2], _rss_mb(pid))
        try:
            await asyncio.wait_for(stop.wait(), SAMPLE_S)
        except TimeoutError:
            pass


async def _observe(client: StClient, latencies: list[float], stop: asyncio.Event) -> None:
    """Move act_slope every OBSERVER_EVERY_S (or at once, if a rerun took longer) until `stop`."""
    i = 0
    while not stop.is_set():
        sent = time.monotonic()
        try:
            run = await client.set_value("act_slope", SLOPES[i % 2], timeout=120)
            latencies.append(run.finished - sent)
        except TimeoutError:  # counted as what it cost, and the next move is made anyway
            latencies.append(time.monotonic() - sent)
        i += 1
        try:
            await asyncio.wait_for(stop.wait(), max(0.0, sent + OBSERVER_EVERY_S - time.monotonic()))
        except TimeoutError:
            pass


async def _press_later(learner: Learner, delay: float) -> None:
    await asyncio.sleep(delay)
    learner.pressed = time.monotonic()
    try:
        await learner.client.press("cnn_start", wait=False)
    except (KeyError, RuntimeError) as error:  # no Start on screen, or disabled
        learner.failed = str(error)


async def _round(n: int, url: str, pid: int) -> dict:
    """One workshop of `n` learners on the server at `url` (process `pid`); its numbers."""
    stop, peak = asyncio.Event(), [0.0, 0.0, 0.0]
    sampler = asyncio.create_task(_sample_rss(pid, peak, stop))
    learners = [Learner(StClient(url, name=f"learner{i + 1}", events=[])) for i in range(n)]
    for learner in learners:
        learner.client.on_delta = lambda _c, el, now, learner=learner: learner.see(el, now)
    observer = StClient(url, name="observer")
    clients = [learner.client for learner in learners] + [observer]
    opened = time.monotonic()
    try:
        await asyncio.gather(*(c.connect() for c in clients))
        # The first learner opens alone: on a fresh server, sessions whose first runs overlap the
        # very first one can fail while their script threads import the app's modules at once
        # (seen: "cannot import name 't' from 'ui'" before 3a98211, then "partially initialized
        # module 'pandas'"), so a workshop's teacher opening the app first is part of the scenario.
        await clients[0].open("cnn_lab", timeout=120)
        await asyncio.gather(*(c.open("cnn_lab", timeout=120 + 15 * n) for c in clients[1:-1]),
                             observer.open("activations", timeout=120 + 15 * n))
        open_s = time.monotonic() - opened
        print(f"  {n} learner pages + observer open after {open_s:.1f} s")
        for c in clients:
            errors = [element_text(el) for _, el, _ in c.elements() if el.WhichOneof("type") == "exception"]
            if errors:
                raise RuntimeError(f"{c.name} opened with an exception on the page: {errors[0]}")
        latencies: list[float] = []
        watcher = asyncio.create_task(_observe(observer, latencies, stop))
        start, cpu_before = time.monotonic(), _cpu_reading(pid)
        deadline = start + 60 + 40 * n
        presses = [asyncio.create_task(_press_later(learner, STAGGER_S * i / max(1, n - 1)))
                   for i, learner in enumerate(learners)]
        await asyncio.gather(*presses)
        while time.monotonic() < deadline and not all(learner.done or learner.failed for learner in learners):
            await asyncio.sleep(0.2)
        end = time.monotonic()
        cpu = _cpu_pct(pid, cpu_before, _cpu_reading(pid), end - start)
        # The result message follows the "Finished" line after a test-set pass: give it a while.
        grace = min(deadline, end + 30)
        while time.monotonic() < grace and not all(l.result or l.failed or not l.done for l in learners):
            await asyncio.sleep(0.2)
        stop.set()
        failure = (await asyncio.gather(watcher, return_exceptions=True))[0]
        if failure is not None:
            print(f"  observer failed: {failure!r}")
    finally:
        stop.set()
        await sampler
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    return _summary(n, learners, latencies, peak, end, open_s, cpu)


def _summary(n: int, learners: list[Learner], latencies: list[float], peak: list[float], end: float,
             open_s: float, cpu: tuple[int, int, int]) -> dict:
    finish = [learner.done - learner.pressed for learner in learners if learner.done]
    result = [learner.result - learner.pressed for learner in learners if learner.result]
    gaps = [learner.longest_gap(end) for learner in learners if learner.pressed is not None]

    def r(x):
        return None if x is None else round(x, 2)
    print(f"  {'learner':<10} {'finish s':>9} {'result s':>9} {'longest gap s':>14} {'refresh gap s':>14} "
          f"{'updates':>8}  end state; the longest gap began at (s after the press) after (shown)")
    for learner in learners:
        done = r(learner.done - learner.pressed) if learner.done else "-"
        res = r(learner.result - learner.pressed) if learner.result else "-"
        last = learner.client.last_run()
        state = learner.failed or ("done" if learner.done else
                                   f"NOT FINISHED: {learner.progress!r}; timers {len(learner.client.timers)}, "
                                   f"last run {'fragment' if last.fragment_ids else 'full'} status {last.status}")
        gap, at, shown = learner.gap_where(end)
        print(f"  {learner.client.name:<10} {done!s:>9} {res!s:>9} {r(gap)!s:>14} "
              f"{r(learner.refresh_gap(end))!s:>14} {len(learner.updates):>8}  {state}; at {r(at)} after {shown!r}")
        if not learner.done and learner.client.events:
            for when, event in learner.client.events[-25:]:
                print(f"      {when - learner.pressed:8.2f} {event}")
    print(f"  CPU from the first press to the last finish (% of one core, {os.cpu_count()} cores): server "
          f"process {cpu[0]} %, its workers {cpu[1]} %, other processes on the machine {cpu[2]} %")
    return {"learners": n, "finished": len(finish),
            "finish_median_s": r(statistics.median(finish)) if finish else None,
            "finish_max_s": r(max(finish)) if finish else None,
            "result_median_s": r(statistics.median(result)) if result else None,
            "longest_gap_s": r(max(gaps)) if gaps else None,
            "gap_median_s": r(statistics.median(gaps)) if gaps else None,
            "observer_median_s": r(statistics.median(latencies)) if latencies else None,
            "observer_p95_s": r(_p95(latencies)), "observer_moves": len(latencies),
            "refresh_gap_max_s": r(max(learner.refresh_gap(end) for learner in learners)),
            "cpu_server_pct": cpu[0], "cpu_workers_pct": cpu[1], "cpu_other_pct": cpu[2],
            "rss_peak_mb": round(peak[0]), "pss_peak_mb": round(peak[1]), "server_rss_peak_mb": round(peak[2]),
            "open_s": r(open_s)}


def _targets(row: dict, single: float | None) -> dict:
    """The workshop's targets for one round (see the module docstring)."""
    all_done = row["finished"] == row["learners"]
    return {"all_finished": all_done,
            "last_within_1_5_N_single": None if single is None else
            bool(all_done and row["finish_max_s"] <= 1.5 * row["learners"] * single),
            "gaps_under_3s": row["longest_gap_s"] is not None and row["longest_gap_s"] < 3.0,
            "observer_p95_under_1s": row["observer_p95_s"] is not None and row["observer_p95_s"] < 1.0,
            "rss_under_3gb": row["rss_peak_mb"] < 3072}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,10,20", help="learner counts, comma-separated")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    rows: dict[str, dict] = {}
    for n in sizes:
        print(f"N = {n}: starting a fresh server")
        proc, url, log = start_server()
        try:
            rows[str(n)] = asyncio.run(_round(n, url, proc.pid))
        finally:
            stop_server(proc, log)
        print(f"  server log: {log.name}")
    single = rows["1"]["finish_median_s"] if "1" in rows else None
    for n, row in rows.items():
        row["targets"] = _targets(row, single)
        print(f"N = {n}: finished {row['finished']}/{row['learners']}, finish median {row['finish_median_s']} s, "
              f"max {row['finish_max_s']} s, longest gap {row['longest_gap_s']} s, observer median "
              f"{row['observer_median_s']} s / p95 {row['observer_p95_s']} s, RSS peak {row['rss_peak_mb']} MB "
              f"(PSS {row['pss_peak_mb']} MB, server alone {row['server_rss_peak_mb']} MB); "
              f"targets {row['targets']}")
    print(json.dumps({"bench": "workshop", "protocol": "streamlit websocket", "single_s": single, "sizes": rows}))


if __name__ == "__main__":
    main()
