"""Strings of the activations page (activation explorer, softmax, one neuron, depth lab)."""

EN = {
    "page_activations": "Activations & the neuron",
    "page_activations_blurb": "Sigmoid to Mish with their derivatives, softmax and temperature, one neuron by hand "
                              "and in training, and why deep nets stop learning.",
    "act_intro": "A neuron computes a weighted sum z = w·x + b and passes it through an activation function f. "
                 "The shape of f, and above all of its derivative f′, decides whether a deep network can learn: "
                 "backpropagation multiplies one f′ per layer.",
    "act_tab_explore": "Activation explorer",
    "act_tab_softmax": "Softmax & temperature",
    "act_tab_neuron": "One neuron",
    "act_tab_depth": "Depth lab: vanishing gradients",
    # names and uses
    "act_use_sigmoid": "binary outputs (probability), gates in LSTM/GRU",
    "act_use_tanh": "RNN hidden states, LSTM cell output",
    "act_use_relu": "default for CNNs and MLPs",
    "act_use_leaky_relu": "GAN discriminators, when ReLUs die",
    "act_use_elu": "deep MLPs/CNNs wanting mean-zero outputs",
    "act_use_gelu": "Transformers (BERT, GPT, ViT)",
    "act_use_silu": "EfficientNet, YOLO, LLaMA's SwiGLU",
    "act_use_softplus": "keeping outputs positive (variances, rates)",
    "act_use_mish": "YOLOv4-style detectors",
    "act_use_hardsigmoid": "mobile nets (MobileNetV3), cheap gates",
    "act_use_step": "Rosenblatt's perceptron (cannot be trained by backprop)",
    # explorer
    "act_functions": "Functions to plot",
    "act_x_range": "x-range",
    "act_slope": "Leaky ReLU slope α",
    "act_show_deriv": "Show derivatives f′(x) (dashed)",
    "act_pick_one": "Pick at least one function to plot.",
    "act_bad_range": "Make the x-range wider than a single point.",
    "act_formulas": "Formulas: f(x) and f′(x)",
    "act_checked": "Checked on these {points} points: the formulas above differ from torch.nn.functional by at most "
                   "{value_err:.1e} and their derivatives from PyTorch's autograd by at most {deriv_err:.1e}.",
    "act_props": "Properties",
    "act_col_function": "function",
    "act_col_range": "output range",
    "act_col_zero": "zero-centred",
    "act_col_mono": "monotonic",
    "act_col_sat": "saturates (f′ → 0)",
    "act_col_dead": "dead zone (f′ = 0)",
    "act_col_cost": "relative cost",
    "act_col_use": "where it is used",
    "act_yes": "yes",
    "act_no": "no",
    "act_roughly": "roughly",
    "act_sat_both": "both sides",
    "act_sat_left": "negative side",
    "act_sat_none": "no",
    "act_dead_none": "none",
    "act_dead_negative": "x ≤ 0",
    "act_dead_outside": "|x| ≥ 3",
    "act_dead_everywhere": "everywhere",
    "act_props_note": "Cost per element on a CPU: ● a comparison or multiply, ●● one exp or tanh, ●●● erf or several "
                      "transcendental functions. Saturating means f′ gets close to 0 for large |x|; a dead zone "
                      "means f′ is exactly 0 there, so no gradient passes at all. Hover the chart to read f(x) and "
                      "f′(x) at any x.",
    # softmax
    "act_sm_explain": "Softmax turns a vector of scores (logits) into probabilities. Dividing by a temperature T "
                      "first sharpens the distribution (T < 1, towards the arg-max) or flattens it (T > 1, "
                      "towards uniform). Edit the logits and move T.",
    "act_logits": "Logits z (separated by commas)",
    "act_temperature": "Temperature T",
    "act_bad_logits": "Could not read the logits: {error} Type numbers like 2, 1, 0.1.",
    "act_err_empty": "there is no number yet.",
    "act_err_too_many": "at most {max_count} numbers fit on the chart (got {count}).",
    "act_err_not_a_number": "{token} is not a number.",
    "act_err_not_finite": "{token} is not a finite number.",
    "act_err_range": "the range needs min < max (got {low} and {high}).",
    "act_err_temperature": "the temperature must be positive (got {value}).",
    "act_class": "class",
    "act_top_p": "Largest probability",
    "act_entropy": "Entropy",
    "act_sum": "Sum of probabilities",
    "act_stable_title": "Why the numerically stable form",
    "act_shift": "Add this constant to every logit",
    "act_col_logit": "logit (float32)",
    "act_naive": "naive: exp(z/T) / Σ exp(z/T)",
    "act_stable": "stable: subtract max z first",
    "act_stable_note": "Softmax does not change when the same constant is added to every logit, so subtracting the "
                       "largest logit is free. Without it, float32's exp overflows to ∞ above z ≈ 88, and ∞/∞ "
                       "gives NaN (shown as None). torch.softmax and F.cross_entropy always use the stable form.",
    # one neuron by hand
    "act_by_hand": "One neuron, by hand",
    "act_n_inputs": "Number of inputs",
    "act_bias": "bias b",
    "act_activation": "Activation",
    "act_reset_example": "Back to the tutorial's example",
    "act_example_help": "The tutorials' perceptron example: x = (0.5, 0.3, 0.8), w = (0.2, 0.4, −0.1), b = 0.1.",
    "act_neuron_explain": "Blue edges are positive weights, orange ones negative; thicker means larger |w|. The "
                          "small chart marks the operating point (z, f(z)) with its tangent: its slope f′(z) is "
                          "what backpropagation multiplies by when it passes through this neuron.",
    # training one neuron
    "act_train_title": "Train one neuron on toy data",
    "act_dataset": "Toy data",
    "act_ds_blobs": "Two blobs (linearly separable)",
    "act_ds_moons": "Two moons",
    "act_ds_circles": "Circles",
    "act_ds_xor": "XOR",
    "act_method": "Learning rule",
    "act_method_perceptron": "Perceptron rule (step)",
    "act_method_sigmoid_gd": "Sigmoid + gradient descent",
    "act_lr": "Learning rate η",
    "act_noise": "Noise",
    "act_rule_perceptron": r"\text{for each point: } \hat y = \mathrm{step}(\mathbf w\cdot\mathbf x + b),\quad "
                           r"\mathbf w \leftarrow \mathbf w + \eta\,(y - \hat y)\,\mathbf x,\quad "
                           r"b \leftarrow b + \eta\,(y - \hat y)",
    "act_rule_sigmoid_gd": r"p = \sigma(\mathbf w\cdot\mathbf x + b),\quad "
                           r"L = -\tfrac1n\sum \bigl[y\ln p + (1-y)\ln(1-p)\bigr],\quad "
                           r"\mathbf w \leftarrow \mathbf w - \eta\,\tfrac1n\sum (p - y)\,\mathbf x",
    "act_epoch": "Epoch",
    "act_accuracy": "Accuracy",
    "act_loss_perceptron": "Mistakes in the epoch (share)",
    "act_loss_sigmoid_gd": "BCE loss",
    "act_class0": "class 0",
    "act_class1": "class 1",
    "act_converged": "Every point is on the right side of the line: the classes are linearly separable.",
    "act_not_separable": "Stopped after the maximum number of epochs without separating every point: no straight "
                         "line does it here (or the noise puts some points on the wrong side).",
    "act_xor_note": "XOR: opposite corners share a class, so no single straight line can separate them, and one "
                    "neuron's decision boundary is always a straight line. The perceptron rule keeps cycling; "
                    "gradient descent settles on a line that gets at best about three quarters right. Two layers "
                    "(a hidden layer of two neurons) solve it.",
    # depth lab
    "act_depth_intro": "A real PyTorch MLP: `depth` hidden layers of `width` units, then a 10-way read-out. One "
                       "forward and one backward pass of the cross-entropy on a batch of 128 random inputs give "
                       "the gradient norm of every layer's weights and the distribution of every layer's outputs. "
                       "Start with a classic setup, then change one thing at a time.",
    "act_preset": "Try a classic setup",
    "act_preset_vanish": "Sigmoid + N(0, 0.01): gradients vanish",
    "act_preset_healthy": "ReLU + He init: healthy",
    "act_preset_residual": "Sigmoid + N(0, 0.01) + residual connections",
    "act_preset_batchnorm": "Sigmoid + N(0, 0.01) + BatchNorm",
    "act_preset_zeros": "All-zero weights: nothing to learn from",
    "act_preset_tanh_xavier": "Tanh + Xavier/Glorot",
    "act_depth": "Depth (hidden layers)",
    "act_width": "Width (units per layer)",
    "act_init": "Initialisation",
    "act_bn": "BatchNorm",
    "act_residual": "Residual connections",
    "act_loss_metric": "Loss (ln 10 ≈ 2.30 is chance)",
    "act_ratio_metric": "Gradient ratio: layer 1 / read-out",
    "act_flat_metric": "Units with |f′(z)| < 0.01",
    "act_nonfinite": "Some numbers overflowed to ∞ or NaN: the activations exploded. Try a smaller "
                     "initialisation, BatchNorm, or fewer layers.",
    "act_grad_title": "‖∂L/∂W‖ per layer (log scale; the last point is the read-out)",
    "act_std_title": "Standard deviation of each hidden layer's output (log scale)",
    "act_layer": "layer",
    "act_zero_grad": "exactly 0",
    "act_hist_title": "Activation histograms",
    "act_value": "output value",
    "act_share": "share",
    "act_depth_reading": "**How to read it.** The gradient reaching layer 1 is a product of one factor per layer "
                         "above it: the weights times the local slopes f′(z). With sigmoid (f′ ≤ 1/4) and weights "
                         "of size 0.01, every factor is far below 1 and the product vanishes exponentially with "
                         "depth: the first layers get no signal and do not learn. He initialisation keeps ReLU "
                         "layers' variance constant; Xavier does the same for tanh. A residual connection adds "
                         "an identity path (h + f(·)), so the product contains 1 + something instead of something; "
                         "BatchNorm re-centres every layer so the units stay where f′ is large. In the heatmap each "
                         "row is one layer's histogram: a row squeezed into one bin means that layer's units all "
                         "output the same number.",
}

ZH = {
    "page_activations": "激活函数与神经元",
    "page_activations_blurb": "从 Sigmoid 到 Mish 的函数与导数、softmax 与温度、手算并训练单个神经元，"
                              "以及深层网络为什么学不动。",
    "act_intro": "一个神经元先计算加权和 z = w·x + b，再把它送入激活函数 f。f 的形状，尤其是它的导数 f′，"
                 "决定了深层网络能否学习：反向传播每经过一层就要乘上一个 f′。",
    "act_tab_explore": "激活函数浏览",
    "act_tab_softmax": "Softmax 与温度",
    "act_tab_neuron": "单个神经元",
    "act_tab_depth": "深度实验室：梯度消失",
    "act_use_sigmoid": "二分类输出（概率）、LSTM/GRU 的门",
    "act_use_tanh": "RNN 隐状态、LSTM 单元输出",
    "act_use_relu": "CNN 和 MLP 的默认选择",
    "act_use_leaky_relu": "GAN 判别器、ReLU 神经元“死亡”时",
    "act_use_elu": "希望输出均值接近 0 的深层 MLP/CNN",
    "act_use_gelu": "Transformer（BERT、GPT、ViT）",
    "act_use_silu": "EfficientNet、YOLO、LLaMA 的 SwiGLU",
    "act_use_softplus": "需要正值输出时（方差、速率）",
    "act_use_mish": "YOLOv4 类检测器",
    "act_use_hardsigmoid": "移动端网络（MobileNetV3）、廉价的门",
    "act_use_step": "Rosenblatt 感知机（无法用反向传播训练）",
    "act_functions": "要绘制的函数",
    "act_x_range": "x 的范围",
    "act_slope": "Leaky ReLU 斜率 α",
    "act_show_deriv": "显示导数 f′(x)（虚线）",
    "act_pick_one": "请至少选择一个函数进行绘制。",
    "act_bad_range": "请把 x 的范围设得比一个点更宽。",
    "act_formulas": "公式：f(x) 与 f′(x)",
    "act_checked": "已在这 {points} 个点上核对：上面公式的函数值与 torch.nn.functional 最多相差 {value_err:.1e}，"
                   "导数与 PyTorch 自动求导的结果最多相差 {deriv_err:.1e}。",
    "act_props": "性质",
    "act_col_function": "函数",
    "act_col_range": "输出范围",
    "act_col_zero": "以零为中心",
    "act_col_mono": "单调",
    "act_col_sat": "饱和（f′ → 0）",
    "act_col_dead": "死区（f′ = 0）",
    "act_col_cost": "相对计算开销",
    "act_col_use": "常见用途",
    "act_yes": "是",
    "act_no": "否",
    "act_roughly": "近似",
    "act_sat_both": "两侧",
    "act_sat_left": "负半轴",
    "act_sat_none": "否",
    "act_dead_none": "无",
    "act_dead_negative": "x ≤ 0",
    "act_dead_outside": "|x| ≥ 3",
    "act_dead_everywhere": "处处",
    "act_props_note": "CPU 上每个元素的开销：● 一次比较或乘法，●● 一次 exp 或 tanh，●●● erf 或多个超越函数。"
                      "饱和指 |x| 很大时 f′ 接近 0；死区指 f′ 恰好为 0，梯度完全无法通过。"
                      "把鼠标悬停在图上即可读出任意 x 处的 f(x) 与 f′(x)。",
    "act_sm_explain": "Softmax 把一组分数（logits）变成概率。先除以温度 T：T < 1 时分布更尖锐（趋向最大值），"
                      "T > 1 时更平坦（趋向均匀分布）。试着编辑 logits 并拖动 T。",
    "act_logits": "Logits z（用逗号分隔）",
    "act_temperature": "温度 T",
    "act_bad_logits": "无法读取 logits：{error} 请输入类似 2, 1, 0.1 的数字。",
    "act_err_empty": "还没有输入任何数字。",
    "act_err_too_many": "图上最多容纳 {max_count} 个数（当前 {count} 个）。",
    "act_err_not_a_number": "{token} 不是数字。",
    "act_err_not_finite": "{token} 不是有限的数。",
    "act_err_range": "范围需要满足 最小值 < 最大值（当前为 {low} 和 {high}）。",
    "act_err_temperature": "温度必须为正数（当前为 {value}）。",
    "act_class": "类别",
    "act_top_p": "最大概率",
    "act_entropy": "熵",
    "act_sum": "概率之和",
    "act_stable_title": "为什么要用数值稳定的形式",
    "act_shift": "给每个 logit 加上这个常数",
    "act_col_logit": "logit（float32）",
    "act_naive": "朴素算法：exp(z/T) / Σ exp(z/T)",
    "act_stable": "稳定算法：先减去最大的 z",
    "act_stable_note": "给所有 logit 加上同一个常数不会改变 softmax 的结果，因此减去最大 logit 不影响答案。"
                       "若不减，float32 的 exp 在 z ≈ 88 以上就会溢出为 ∞，∞/∞ 得到 NaN（表中显示为 None）。"
                       "torch.softmax 与 F.cross_entropy 总是使用稳定形式。",
    "act_by_hand": "手算一个神经元",
    "act_n_inputs": "输入个数",
    "act_bias": "偏置 b",
    "act_activation": "激活函数",
    "act_reset_example": "恢复教程示例",
    "act_example_help": "教程中的感知机示例：x = (0.5, 0.3, 0.8)，w = (0.2, 0.4, −0.1)，b = 0.1。",
    "act_neuron_explain": "蓝色连线表示正权重，橙色表示负权重；线越粗 |w| 越大。小图标出了工作点 (z, f(z)) "
                          "及其切线：切线斜率 f′(z) 就是反向传播经过这个神经元时要乘上的因子。",
    "act_train_title": "在玩具数据上训练一个神经元",
    "act_dataset": "玩具数据",
    "act_ds_blobs": "两团高斯点（线性可分）",
    "act_ds_moons": "双月形",
    "act_ds_circles": "同心圆",
    "act_ds_xor": "异或（XOR）",
    "act_method": "学习规则",
    "act_method_perceptron": "感知机规则（阶跃函数）",
    "act_method_sigmoid_gd": "Sigmoid + 梯度下降",
    "act_lr": "学习率 η",
    "act_noise": "噪声",
    "act_rule_perceptron": r"\text{对每个点：} \hat y = \mathrm{step}(\mathbf w\cdot\mathbf x + b),\quad "
                           r"\mathbf w \leftarrow \mathbf w + \eta\,(y - \hat y)\,\mathbf x,\quad "
                           r"b \leftarrow b + \eta\,(y - \hat y)",
    "act_rule_sigmoid_gd": r"p = \sigma(\mathbf w\cdot\mathbf x + b),\quad "
                           r"L = -\tfrac1n\sum \bigl[y\ln p + (1-y)\ln(1-p)\bigr],\quad "
                           r"\mathbf w \leftarrow \mathbf w - \eta\,\tfrac1n\sum (p - y)\,\mathbf x",
    "act_epoch": "轮次",
    "act_accuracy": "准确率",
    "act_loss_perceptron": "本轮错分比例",
    "act_loss_sigmoid_gd": "BCE 损失",
    "act_class0": "类别 0",
    "act_class1": "类别 1",
    "act_converged": "所有点都落在直线正确的一侧：这两类是线性可分的。",
    "act_not_separable": "已达到最大轮次，仍未把所有点分开：这里不存在能分开它们的直线"
                         "（或者噪声让一些点落到了错误的一侧）。",
    "act_xor_note": "异或：对角的两个象限属于同一类，任何一条直线都无法把它们分开，而单个神经元的决策边界永远是"
                    "一条直线。感知机规则会一直来回摆动；梯度下降最多停在大约四分之三正确的直线上。"
                    "用两层（含两个神经元的隐藏层）就能解决。",
    "act_depth_intro": "一个真实的 PyTorch MLP：`depth` 个隐藏层，每层 `width` 个单元，最后接一个 10 类输出层。"
                       "在一批 128 个随机输入上做一次前向和一次反向传播（交叉熵损失），得到每层权重的梯度范数"
                       "和每层输出的分布。先选一个经典设置，再每次只改一个地方。",
    "act_preset": "试试经典设置",
    "act_preset_vanish": "Sigmoid + N(0, 0.01)：梯度消失",
    "act_preset_healthy": "ReLU + He 初始化：健康",
    "act_preset_residual": "Sigmoid + N(0, 0.01) + 残差连接",
    "act_preset_batchnorm": "Sigmoid + N(0, 0.01) + BatchNorm",
    "act_preset_zeros": "权重全为零：无从学起",
    "act_preset_tanh_xavier": "Tanh + Xavier/Glorot",
    "act_depth": "深度（隐藏层数）",
    "act_width": "宽度（每层单元数）",
    "act_init": "初始化",
    "act_bn": "BatchNorm",
    "act_residual": "残差连接",
    "act_loss_metric": "损失（随机猜测为 ln 10 ≈ 2.30）",
    "act_ratio_metric": "梯度比：第 1 层 / 输出层",
    "act_flat_metric": "|f′(z)| < 0.01 的单元占比",
    "act_nonfinite": "部分数值溢出为 ∞ 或 NaN：激活值爆炸了。试试更小的初始化、BatchNorm 或更少的层。",
    "act_grad_title": "每层的 ‖∂L/∂W‖（对数刻度；最后一个点是输出层）",
    "act_std_title": "每个隐藏层输出的标准差（对数刻度）",
    "act_layer": "层",
    "act_zero_grad": "恰好为 0",
    "act_hist_title": "各层激活值直方图",
    "act_value": "输出值",
    "act_share": "占比",
    "act_depth_reading": "**怎么看。** 传到第 1 层的梯度是其上方每一层一个因子的乘积：权重乘以局部斜率 f′(z)。"
                         "用 sigmoid（f′ ≤ 1/4）和 0.01 量级的权重时，每个因子都远小于 1，乘积随深度指数级消失："
                         "前几层收不到信号，也就学不到东西。He 初始化让 ReLU 各层的方差保持不变；Xavier 对 tanh "
                         "起同样的作用。残差连接增加了一条恒等通路（h + f(·)），乘积里的因子变成“1 + 某项”而不是"
                         "“某项”；BatchNorm 把每层重新居中，让单元停留在 f′ 较大的区域。热力图的每一行是一层的"
                         "直方图：如果某一行挤在一个格子里，说明这一层所有单元输出的都是同一个数。",
}
