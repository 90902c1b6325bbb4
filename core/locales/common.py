"""Strings shared by the app shell, the home page and every page's common controls."""

EN = {
    "app_title": "Neural Playground",
    "app_tagline": "Learn neural networks by doing: real PyTorch, every number shown, every number checkable.",
    "language": "Language",
    "about": "About",
    "about_text": "Every model here is a real PyTorch network running on this server's CPU. "
                  "Source material: a series of Chinese-language deep-learning tutorials.",
    "group_start": "Start",
    "group_basics": "Foundations",
    "group_training": "Training",
    "group_vision": "Vision",
    "page_home": "Home",
    "home_intro": "Pick a topic. Each page lets you move a control and watch a real network compute, "
                  "learn and explain itself. Every figure can be checked against PyTorch's own autograd.",
    "home_topics": "Topics",
    "home_data": "Where the data come from",
    "home_data_text": "Datasets live as tensors in memory. MNIST, Fashion-MNIST and CIFAR-10 are downloaded "
                      "by torchvision into the data folder `{data_dir}` when this machine has a network. "
                      "Offline, MNIST falls back to the real 10,000-image test set beside the project "
                      "(`{shared}`), and the bundled 8x8 digits of scikit-learn always work.",
    "home_status": "Dataset status on this machine",
    "available": "available",
    "not_available": "not available",
    "open_page": "Open",
    "dataset_unavailable": "This dataset is not available here.",
    "use_offline_instead": "Use the offline digits instead",
    "home_col_dataset": "Dataset",
    "home_col_status": "Status",
    "home_col_source": "Loads from",
    "bad_url_param": "Ignored the link parameter {name}={value} (not a valid value); using the default.",
    "seed": "Seed",
    "start": "Start",
    "stop": "Stop",
    "reset": "Reset",
    "step": "Step",
    "show_code": "Show the PyTorch code",
    "loading": "Loading…",
    "error_prefix": "Something went wrong",
}

ZH = {
    "app_title": "神经网络游乐场",
    "app_tagline": "动手学神经网络：真实的 PyTorch，每个数字都看得见，每个数字都能验证。",
    "language": "语言",
    "about": "关于",
    "about_text": "这里的每个模型都是在本服务器 CPU 上运行的真实 PyTorch 网络。"
                  "素材来源：一套中文深度学习教程。",
    "group_start": "开始",
    "group_basics": "基础",
    "group_training": "训练",
    "group_vision": "视觉",
    "page_home": "首页",
    "home_intro": "选一个主题。每个页面都可以拖动控件，观察真实网络如何计算、学习并解释自己。"
                  "每个数字都可以与 PyTorch 自带的自动求导结果对照。",
    "home_topics": "主题",
    "home_data": "数据从哪里来",
    "home_data_text": "数据集以张量形式保存在内存中。联网时，MNIST、Fashion-MNIST 和 CIFAR-10 由 torchvision "
                      "下载到数据目录 `{data_dir}`。离线时，MNIST 使用项目旁边真实的 1 万张测试集"
                      "（`{shared}`），scikit-learn 自带的 8x8 手写数字始终可用。",
    "home_status": "本机数据集状态",
    "available": "可用",
    "not_available": "不可用",
    "open_page": "打开",
    "dataset_unavailable": "此数据集在本机不可用。",
    "use_offline_instead": "改用离线手写数字数据集",
    "home_col_dataset": "数据集",
    "home_col_status": "状态",
    "home_col_source": "读取位置",
    "bad_url_param": "已忽略链接参数 {name}={value}（取值无效），改用默认值。",
    "seed": "随机种子",
    "start": "开始",
    "stop": "停止",
    "reset": "重置",
    "step": "单步",
    "show_code": "显示 PyTorch 代码",
    "loading": "加载中…",
    "error_prefix": "出错了",
}
