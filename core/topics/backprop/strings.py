"""Strings of the backpropagation page (pages/backprop.py)."""

EN = {
    "page_backprop": "Backpropagation",
    "page_backprop_blurb": "Step through one gradient-descent step of a tiny XOR network, number by number, "
                           "and check every gradient against autograd.",
    "bp_intro": "A tiny network learns XOR. Below, **one gradient-descent step** is taken apart: the forward "
                "pass (each $z$ and $a$), the loss, the backward pass (each $\\delta$ and each gradient, written "
                "as the chain-rule product with the actual numbers), and the update. Every gradient is then "
                "checked against PyTorch's autograd and a finite difference.",
    "bp_settings": "The network",
    "bp_hidden": "Hidden layers",
    "bp_hidden_help": "Units per hidden layer, separated by commas: 2, or 4,4, or 4,3,2 (up to 3 layers of 4).",
    "bp_activation": "Hidden activation",
    "bp_loss": "Loss",
    "bp_lr": "Learning rate η",
    "bp_init": "Initialisation",
    "bp_example": "Training example",
    "bp_example_all": "All four (batch)",
    "bp_example_one": "x = ({x1}, {x2}), y = {y}",
    "bp_output_note": "The output unit is always a sigmoid, so ŷ is a probability; L is the mean loss over the "
                      "examples used, so each δ already contains the 1/N.",
    "bp_tab_step": "Step through",
    "bp_tab_train": "Train",
    "bp_tab_losses": "Loss functions",
    "bp_tab_twin": "NumPy ↔ PyTorch",
    "bp_prev": "Previous",
    "bp_next": "Next",
    "bp_play": "Play",
    "bp_pause": "Pause",
    "bp_step_slider": "Step",
    "bp_step_of": "Step {i} of {n}",
    "bp_kind_forward": "Forward pass",
    "bp_kind_loss": "Loss",
    "bp_kind_backward": "Backward pass",
    "bp_kind_update": "Update",
    "bp_what_z": "Weighted sum: each input times its weight, plus the bias.",
    "bp_what_a": "Activation: the weighted sum goes through the unit's non-linearity.",
    "bp_what_loss": "Loss: how far the prediction is from the target, averaged over the examples used.",
    "bp_what_dyhat": "The backward pass starts at the loss: how much L changes when the prediction ŷ moves.",
    "bp_what_delta": "δ = ∂L/∂z: what flows back into this unit (from the loss, or from the next layer's δ "
                     "through the weights) times the slope of its activation.",
    "bp_what_grad_w": "A weight's gradient is the δ of the unit it feeds times the activation that comes "
                      "in along it (summed over the examples).",
    "bp_what_grad_b": "A bias's gradient is just the δ of its unit (its input is always 1).",
    "bp_what_new_w": "Gradient descent: move the weight a small step against its gradient.",
    "bp_what_new_b": "Gradient descent: move the bias a small step against its gradient.",
    "bp_step_proof": "Check of this gradient: autograd {auto}, finite difference {fd}, relative error {err}.",
    "bp_graph_caption": "Edges are weights (width ∝ |w|, dashed when negative); the current number is "
                        "drawn in its phase's colour and the weights it is computed from are tinted.",
    "bp_proof": "Proof: every gradient three ways",
    "bp_proof_intro": "Our hand-computed gradient beside torch.autograd's (same weights, float64) and a central "
                      "difference (L(θ+h) − L(θ−h)) / 2h with h = 10⁻⁵. Relative error = |a − b| / max(|a|, |b|, ε), "
                      "with ε = 10⁻⁸ against autograd and 10⁻⁶ against finite differences (whose own rounding "
                      "error is about 10⁻¹¹).",
    "bp_col_param": "parameter",
    "bp_col_ours": "ours (NumPy)",
    "bp_col_autograd": "torch.autograd",
    "bp_col_fd": "finite difference",
    "bp_col_err_auto": "rel. error vs autograd",
    "bp_col_err_fd": "rel. error vs FD",
    "bp_col_ok": "agree",
    "bp_proof_ok": "All {n} gradients agree with autograd (≤ 10⁻⁶) and with finite differences (≤ 10⁻⁴).",
    "bp_proof_bad": "{bad} of {n} gradients do not agree.",
    "bp_kink": "Some ReLU inputs are exactly 0 (e.g. x = (0, 0) with zero biases): ReLU has a kink there, so "
               "the finite difference straddles it and disagrees, while autograd (and we) use the slope 0.",
    "bp_train_intro": "Full-batch gradient descent on all four XOR points with the settings above (the "
                      "training-example choice is ignored here), in NumPy with exactly the maths stepped "
                      "through on the first tab.",
    "bp_train_steps": "Gradient-descent steps",
    "bp_loss_curve": "Loss curve",
    "bp_axis_step": "step",
    "bp_axis_loss": "mean loss",
    "bp_boundary": "Decision boundary (ŷ over the input square; press ▶ or drag the slider)",
    "bp_predictions": "Predictions after training",
    "bp_col_target": "y",
    "bp_col_pred": "ŷ",
    "bp_col_correct": "correct",
    "bp_learned": "XOR learned: all four points on the right side of 0.5 (final loss {loss}).",
    "bp_not_learned": "Not learned yet (final loss {loss}). Try more steps, a larger learning rate, another seed "
                      "or more hidden units: small nets can get stuck in a local minimum.",
    "bp_symmetry_warning": "Symmetry problem: the hidden units of layer {layers} are still identical (same "
                           "incoming and outgoing weights). Identical units get identical gradients, so gradient "
                           "descent can never tell them apart: the layer acts like a single unit.",
    "bp_zero_init_info": "With zero initialisation every hidden unit computes the same thing. On XOR the "
                         "positive and negative targets even cancel, so nothing moves at all. Try \"constant\": the "
                         "weights move, yet the hidden units stay identical. A random initialisation breaks the "
                         "symmetry.",
    "bp_final_weights": "Final weights into hidden layer 1 (one row per unit):",
    "bp_losses_intro": "A loss turns a prediction into one number to minimise; its gradient is what backprop "
                       "sends back. Left: the loss as a function of the prediction ŷ; right: its gradient.",
    "bp_target": "Target y",
    "bp_wrt": "Gradient with respect to",
    "bp_wrt_yhat": "the prediction ŷ",
    "bp_wrt_z": "the logit z (through the sigmoid)",
    "bp_loss_value": "loss",
    "bp_loss_grad": "gradient",
    "bp_axis_pred": "prediction ŷ",
    "bp_losses_note": "Through a sigmoid, MSE's gradient 2(ŷ−y)·ŷ(1−ŷ) vanishes when the net is confidently "
                      "wrong, while cross-entropy's is simply ŷ − y: that is why classifiers use cross-entropy. "
                      "With two classes, categorical cross-entropy is exactly binary cross-entropy.",
    "bp_worked": "The tutorials' worked example",
    "bp_worked_intro": "Two samples, three classes. Every number below is computed here, then by PyTorch.",
    "bp_sample": "sample {i}",
    "bp_mean": "mean over the samples",
    "bp_torch_value": "PyTorch gives {value}",
    "bp_worked_grad": "Gradient of the mean loss with respect to y_pred:",
    "bp_twin_intro": "The seed tutorial's NumPy network (forward, backward and train written by hand) and the "
                     "same network in PyTorch, started from the same weights on the same XOR data. Hidden "
                     "units and learning rate come from the settings above.",
    "bp_twin_steps": "Steps to compare",
    "bp_twin_numpy": "NumPy (the tutorial)",
    "bp_twin_torch": "PyTorch",
    "bp_col_numpy_loss": "NumPy loss",
    "bp_col_torch_loss": "PyTorch loss",
    "bp_col_weight_diff": "max |ΔW| after the step",
    "bp_twin_ok": "Same numbers: the largest weight difference after {n} steps is {diff} (float64 rounding).",
    "bp_twin_bad": "The two nets drifted apart (largest weight difference {diff}).",
}

ZH = {
    "page_backprop": "反向传播",
    "page_backprop_blurb": "逐个数字地走完小型 XOR 网络的一次梯度下降，并用自动求导验证每个梯度。",
    "bp_intro": "一个很小的网络学习 XOR。下面把**一次梯度下降**拆开来看：前向传播（每个 $z$ 和 $a$）、损失、"
                "反向传播（每个 $\\delta$ 和每个梯度，写成代入真实数字的链式法则乘积）以及参数更新。"
                "每个梯度还会与 PyTorch 的自动求导和有限差分结果对照。",
    "bp_settings": "网络",
    "bp_hidden": "隐藏层",
    "bp_hidden_help": "每个隐藏层的单元数，用逗号分隔：2，或 4,4，或 4,3,2（最多 3 层，每层最多 4 个单元）。",
    "bp_activation": "隐藏层激活函数",
    "bp_loss": "损失函数",
    "bp_lr": "学习率 η",
    "bp_init": "初始化",
    "bp_example": "训练样本",
    "bp_example_all": "全部四个（批量）",
    "bp_example_one": "x = ({x1}, {x2})，y = {y}",
    "bp_output_note": "输出单元始终使用 sigmoid，因此 ŷ 是一个概率；L 是所用样本上的平均损失，所以每个 δ 已包含 1/N。",
    "bp_tab_step": "逐步执行",
    "bp_tab_train": "训练",
    "bp_tab_losses": "损失函数",
    "bp_tab_twin": "NumPy ↔ PyTorch",
    "bp_prev": "上一步",
    "bp_next": "下一步",
    "bp_play": "自动播放",
    "bp_pause": "暂停",
    "bp_step_slider": "步骤",
    "bp_step_of": "第 {i} 步，共 {n} 步",
    "bp_kind_forward": "前向传播",
    "bp_kind_loss": "损失",
    "bp_kind_backward": "反向传播",
    "bp_kind_update": "参数更新",
    "bp_what_z": "加权和：每个输入乘以它的权重，再加上偏置。",
    "bp_what_a": "激活：加权和经过该单元的非线性函数。",
    "bp_what_loss": "损失：预测与目标相差多少，在所用样本上取平均。",
    "bp_what_dyhat": "反向传播从损失开始：预测 ŷ 变化时 L 变化多少。",
    "bp_what_delta": "δ = ∂L/∂z：流回该单元的量（来自损失，或来自下一层的 δ 经过权重）乘以其激活函数的斜率。",
    "bp_what_grad_w": "权重的梯度等于它所连接单元的 δ 乘以沿这条边输入的激活值（对样本求和）。",
    "bp_what_grad_b": "偏置的梯度就是其所在单元的 δ（偏置的输入恒为 1）。",
    "bp_what_new_w": "梯度下降：让权重沿梯度的反方向走一小步。",
    "bp_what_new_b": "梯度下降：让偏置沿梯度的反方向走一小步。",
    "bp_step_proof": "验证这个梯度：自动求导 {auto}，有限差分 {fd}，相对误差 {err}。",
    "bp_graph_caption": "边表示权重（粗细 ∝ |w|，负权重为虚线）；当前数字用所在阶段的颜色标出，"
                        "计算它所用的权重会被着色。",
    "bp_proof": "证明：每个梯度的三种算法",
    "bp_proof_intro": "我们手算的梯度，对照 torch.autograd 的结果（相同权重，float64）和中心差分 "
                      "(L(θ+h) − L(θ−h)) / 2h，h = 10⁻⁵。相对误差 = |a − b| / max(|a|, |b|, ε)，"
                      "与自动求导比较时 ε = 10⁻⁸，与有限差分比较时 ε = 10⁻⁶（有限差分自身的舍入误差约为 10⁻¹¹）。",
    "bp_col_param": "参数",
    "bp_col_ours": "我们的结果（NumPy）",
    "bp_col_autograd": "torch.autograd",
    "bp_col_fd": "有限差分",
    "bp_col_err_auto": "与自动求导的相对误差",
    "bp_col_err_fd": "与有限差分的相对误差",
    "bp_col_ok": "一致",
    "bp_proof_ok": "全部 {n} 个梯度都与自动求导一致（≤ 10⁻⁶），也与有限差分一致（≤ 10⁻⁴）。",
    "bp_proof_bad": "{n} 个梯度中有 {bad} 个不一致。",
    "bp_kink": "有些 ReLU 的输入恰好为 0（例如 x = (0, 0) 且偏置为零）：ReLU 在那里有一个折点，"
               "有限差分跨过折点因而不一致，而自动求导（和我们）取斜率 0。",
    "bp_train_intro": "用上面的设置在全部四个 XOR 点上做全批量梯度下降（此处忽略训练样本的选择），"
                      "用 NumPy 实现，数学与第一个标签页中逐步展示的完全相同。",
    "bp_train_steps": "梯度下降步数",
    "bp_loss_curve": "损失曲线",
    "bp_axis_step": "步数",
    "bp_axis_loss": "平均损失",
    "bp_boundary": "决策边界（输入平面上的 ŷ；点 ▶ 或拖动滑块）",
    "bp_predictions": "训练后的预测",
    "bp_col_target": "y",
    "bp_col_pred": "ŷ",
    "bp_col_correct": "正确",
    "bp_learned": "已学会 XOR：四个点都落在 0.5 的正确一侧（最终损失 {loss}）。",
    "bp_not_learned": "还没有学会（最终损失 {loss}）。试试更多步数、更大的学习率、换一个随机种子或增加隐藏单元："
                      "小网络可能会卡在局部极小值。",
    "bp_symmetry_warning": "对称性问题：第 {layers} 隐藏层的各个单元仍然完全相同（输入和输出权重都一样）。"
                           "相同的单元得到相同的梯度，梯度下降永远无法把它们区分开：这一层就像只有一个单元。",
    "bp_zero_init_info": "全零初始化时，每个隐藏单元计算的东西都一样。在 XOR 上，正负目标甚至相互抵消，"
                         "所以参数完全不动。试试“常数”初始化：权重会变化，但隐藏单元始终一模一样。随机初始化才能打破对称性。",
    "bp_final_weights": "训练后进入第 1 隐藏层的权重（每行一个单元）：",
    "bp_losses_intro": "损失函数把预测变成一个要最小化的数；它的梯度就是反向传播送回去的量。"
                       "左：损失随预测 ŷ 的变化；右：它的梯度。",
    "bp_target": "目标 y",
    "bp_wrt": "梯度对谁求",
    "bp_wrt_yhat": "预测 ŷ",
    "bp_wrt_z": "logit z（经过 sigmoid）",
    "bp_loss_value": "损失",
    "bp_loss_grad": "梯度",
    "bp_axis_pred": "预测 ŷ",
    "bp_losses_note": "经过 sigmoid 后，MSE 的梯度 2(ŷ−y)·ŷ(1−ŷ) 在网络“自信地犯错”时几乎消失，"
                      "而交叉熵的梯度就是 ŷ − y：这就是分类器使用交叉熵的原因。"
                      "只有两个类别时，分类交叉熵与二元交叉熵完全相同。",
    "bp_worked": "教程中的算例",
    "bp_worked_intro": "两个样本，三个类别。下面每个数字都在这里计算，再由 PyTorch 计算一遍。",
    "bp_sample": "样本 {i}",
    "bp_mean": "对样本取平均",
    "bp_torch_value": "PyTorch 的结果：{value}",
    "bp_worked_grad": "平均损失对 y_pred 的梯度：",
    "bp_twin_intro": "种子教程中的 NumPy 网络（前向、反向和训练都是手写的）与 PyTorch 中的同一个网络，"
                     "从相同的权重出发，在相同的 XOR 数据上训练。隐藏单元数和学习率取自上面的设置。",
    "bp_twin_steps": "比较的步数",
    "bp_twin_numpy": "NumPy（教程）",
    "bp_twin_torch": "PyTorch",
    "bp_col_numpy_loss": "NumPy 损失",
    "bp_col_torch_loss": "PyTorch 损失",
    "bp_col_weight_diff": "该步后最大 |ΔW|",
    "bp_twin_ok": "数字相同：{n} 步后最大的权重差为 {diff}（float64 舍入误差）。",
    "bp_twin_bad": "两个网络出现了偏差（最大权重差 {diff}）。",
}
