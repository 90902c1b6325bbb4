"""Messages of the errors core raises (core/errors.py): data files, checkpoints, network settings.

Fields in braces are filled by whoever raises; outside text among them (paths, names from a file,
typed values) arrives already as a code span (core.text.literal). Names a learner types or sets
(environment variables, library functions, the `digits` dataset) stay code spans in both languages.
"""

EN = {
    "err_list_separator": "; ",
    # data files (core/idx.py, core/data.py)
    "err_file_unreadable": "Cannot read {path}: {reason}. Delete it and download it again.",
    "err_file_missing": "Cannot read {path}: {reason}.",
    "err_idx_magic": "{path} is not an IDX file (bad magic number).",
    "err_idx_header": "{path} is not an IDX file (truncated header).",
    "err_idx_size": "{path} is truncated or padded: its header promises {shape} ({expected} bytes), "
                    "the file holds {actual} bytes.",
    "err_idx_mismatch": "{images} and {labels} do not match ({x_shape}, {y_shape}).",
    "err_cifar_batch": "{path} is not a CIFAR-10 batch: {reason}.",
    "err_cifar_not_dict": "{path} is not a CIFAR-10 batch (expected a dict).",
    "err_cifar_counts": "{path}: {images} images but {labels} labels.",
    "err_cifar_binary_size": "{path} is not a CIFAR-10 binary batch ({size} bytes).",
    "err_dataset_missing": "{title} is not available. Looked in: {where}. To get it, run the app once on "
                           "a machine with a network (`torchvision` downloads it into the data dir, set by "
                           "`PLAYGROUND_DATA_DIR`), or copy the files there. The offline `digits` dataset "
                           "always works.",
    "err_looked_files": "{folder} ({files})",
    "err_looked_folder": "{folder}",
    "err_looked_download": "download into {folder}: {why}",
    "err_download_off": "downloads are off (`PLAYGROUND_OFFLINE` is set)",
    "err_download_recent": "a download failed a few minutes ago (no network?)",
    "err_download_failed": "the download failed ({reason})",
    "err_download_no_files": "the files are still missing",
    # checkpoints (core/checkpoints.py, core/topics/cnn_lab/lab.py)
    "ckpt_err_too_big": "The file is {size} MB; checkpoints here are at most {limit} MB.",
    "ckpt_err_pickle": "This looks like a pickle / `torch.save` file. For safety only .safetensors files "
                       "are accepted: nothing uploaded is ever unpickled. Save with "
                       "`safetensors.torch.save_file`.",
    "ckpt_err_not_safetensors": "This is not a valid .safetensors file ({reason}).",
    "ckpt_err_mismatch": "These weights do not fit this model: {parts}.",
    "ckpt_part_wrong_shape": "wrong shape: {names}",
    "ckpt_part_missing": "missing: {names}",
    "ckpt_part_unexpected": "not in this model: {names}",
    "ckpt_shape": "{name}: file {file} vs model {model}",
    "ckpt_err_no_setup": "This file has no CNN-lab setup in its metadata, so the model it belongs to is "
                         "unknown. Download weights from this page to get a file that can be uploaded back.",
    "ckpt_err_unknown_dataset": "This file names an unknown dataset, {name}; this page knows {known}.",
    "ckpt_err_unknown_architecture": "This file names an unknown architecture, {name}; this page knows {known}.",
    "ckpt_err_unknown_activation": "This file names an unknown activation, {name}; this page knows {known}.",
    "ckpt_err_unknown_optimizer": "This file names an unknown optimizer, {name}; this page knows {known}.",
    "ckpt_err_unknown_schedule": "This file names an unknown schedule, {name}; this page knows {known}.",
    # the backprop page's network settings (core/topics/backprop/__init__.py)
    "bp_err_sizes": "Use 1 to {layers} hidden layers of 1 to {units} units each (got {got}).",
    "bp_err_unknown_activation": "Unknown activation {name}; choose one of {known}.",
    "bp_err_unknown_loss": "Unknown loss {name}; choose one of {known}.",
    "bp_err_unknown_init": "Unknown initialisation {name}; choose one of {known}.",
    "bp_err_example": "The example must be 0-3 (one XOR point) or -1 (all four); got {got}.",
    "bp_err_lr": "The learning rate must be a finite number ≥ 0 (got {got}).",
    "bp_err_hidden_text": "Write the hidden sizes as whole numbers separated by commas, e.g. 2 or 4,4 (got {got}).",
}

ZH = {
    "err_list_separator": "；",
    "err_file_unreadable": "无法读取 {path}：{reason}。请删除它并重新下载。",
    "err_file_missing": "无法读取 {path}：{reason}。",
    "err_idx_magic": "{path} 不是 IDX 文件（魔数不对）。",
    "err_idx_header": "{path} 不是 IDX 文件（文件头不完整）。",
    "err_idx_size": "{path} 被截断或多出了数据：文件头声明 {shape}（{expected} 字节），文件实际有 {actual} 字节。",
    "err_idx_mismatch": "{images} 与 {labels} 不匹配（{x_shape}，{y_shape}）。",
    "err_cifar_batch": "{path} 不是 CIFAR-10 数据批：{reason}。",
    "err_cifar_not_dict": "{path} 不是 CIFAR-10 数据批（应为字典）。",
    "err_cifar_counts": "{path}：有 {images} 张图像，却有 {labels} 个标签。",
    "err_cifar_binary_size": "{path} 不是 CIFAR-10 二进制数据批（{size} 字节）。",
    "err_dataset_missing": "{title} 不可用。查找过：{where}。获取方法：在联网的机器上运行一次本应用"
                           "（`torchvision` 会把它下载到数据目录，由 `PLAYGROUND_DATA_DIR` 设置），"
                           "或者把文件复制到那里。离线的 `digits`（手写数字）数据集始终可用。",
    "err_looked_files": "{folder}（{files}）",
    "err_looked_folder": "{folder}",
    "err_looked_download": "下载到 {folder}：{why}",
    "err_download_off": "下载已关闭（设置了 `PLAYGROUND_OFFLINE`）",
    "err_download_recent": "几分钟前下载失败过（没有网络？）",
    "err_download_failed": "下载失败（{reason}）",
    "err_download_no_files": "文件仍然缺失",
    "ckpt_err_too_big": "文件大小为 {size} MB；这里的检查点最大为 {limit} MB。",
    "ckpt_err_pickle": "这看起来是 pickle / `torch.save` 文件。出于安全考虑，只接受 .safetensors 文件："
                       "上传的文件绝不会被反序列化。请用 `safetensors.torch.save_file` 保存。",
    "ckpt_err_not_safetensors": "这不是有效的 .safetensors 文件（{reason}）。",
    "ckpt_err_mismatch": "这些权重与此模型不匹配：{parts}。",
    "ckpt_part_wrong_shape": "形状不对：{names}",
    "ckpt_part_missing": "缺少：{names}",
    "ckpt_part_unexpected": "模型中没有：{names}",
    "ckpt_shape": "{name}：文件中为 {file}，模型为 {model}",
    "ckpt_err_no_setup": "此文件的元数据中没有 CNN 实验室的设置，因此不知道它属于哪个模型。"
                         "请从本页下载权重，得到可以再上传的文件。",
    "ckpt_err_unknown_dataset": "此文件指定了未知的数据集 {name}；本页支持：{known}。",
    "ckpt_err_unknown_architecture": "此文件指定了未知的网络结构 {name}；本页支持：{known}。",
    "ckpt_err_unknown_activation": "此文件指定了未知的激活函数 {name}；本页支持：{known}。",
    "ckpt_err_unknown_optimizer": "此文件指定了未知的优化器 {name}；本页支持：{known}。",
    "ckpt_err_unknown_schedule": "此文件指定了未知的学习率调度 {name}；本页支持：{known}。",
    "bp_err_sizes": "请使用 1 到 {layers} 个隐藏层，每层 1 到 {units} 个神经元（当前为 {got}）。",
    "bp_err_unknown_activation": "未知的激活函数 {name}；请从 {known} 中选择。",
    "bp_err_unknown_loss": "未知的损失函数 {name}；请从 {known} 中选择。",
    "bp_err_unknown_init": "未知的初始化方式 {name}；请从 {known} 中选择。",
    "bp_err_example": "样本编号必须是 0-3（一个 XOR 点）或 -1（全部四个）；当前为 {got}。",
    "bp_err_lr": "学习率必须是 ≥ 0 的有限数（当前为 {got}）。",
    "bp_err_hidden_text": "请把隐藏层大小写成用逗号分隔的整数，例如 2 或 4,4（当前为 {got}）。",
}
