"""Strings of the one live-training panel (ui/live.py), shared by every page that trains live."""

EN = {
    "live_start": "Start", "live_pause": "Pause", "live_resume": "Resume", "live_step": "Step",
    "live_stop": "Stop", "live_reset": "Reset",
    "live_ready": "Ready: press Start to train.",
    "live_waiting": "Waiting for the CPU: another learner's run is using it right now. "
                    "Your run continues as soon as it is free.",
    "live_state_running": "Training", "live_state_paused": "Paused", "live_state_ready": "Ready",
    "live_state_done": "Finished",
    "live_line": "{state} · step {step}{of_total} · epoch {epoch}{of_epochs} · {elapsed:.1f} s computed{eta}",
    "live_of": "/{n:,}",
    "live_eta": " · about {eta:.0f} s left",
    "live_reason_completed": "completed", "live_reason_early_stopping": "early stopping",
    "live_reason_stopped": "stopped", "live_reason_max_steps": "step limit",
    "live_done_line": "Finished ({reason}) after {step:,} steps · {elapsed:.1f} s computed",
}

ZH = {
    "live_start": "开始", "live_pause": "暂停", "live_resume": "继续", "live_step": "单步",
    "live_stop": "停止", "live_reset": "重置",
    "live_ready": "就绪：按“开始”进行训练。",
    "live_waiting": "正在等待 CPU：另一位学员的训练正在使用它。CPU 一空闲，你的训练就会继续。",
    "live_state_running": "训练中", "live_state_paused": "已暂停", "live_state_ready": "就绪",
    "live_state_done": "已结束",
    "live_line": "{state} · 第 {step} 步{of_total} · 第 {epoch} 轮{of_epochs} · 已计算 {elapsed:.1f} 秒{eta}",
    "live_of": "/{n:,}",
    "live_eta": " · 约剩 {eta:.0f} 秒",
    "live_reason_completed": "已完成", "live_reason_early_stopping": "提前停止",
    "live_reason_stopped": "已停止", "live_reason_max_steps": "达到步数上限",
    "live_done_line": "已结束（{reason}），共 {step:,} 步 · 已计算 {elapsed:.1f} 秒",
}
