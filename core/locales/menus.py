"""Names in the menus that several pages share: datasets, architectures, optimizers, schedules.

Keys are `<kind>_<registry key>` (the registries in core/data.py, core/models.py, core/train.py);
tests/unit/test_i18n.py checks that every registry entry has its name in both languages.
"""

EN = {
    "dataset_digits": "Digits 8x8 (offline)",
    "dataset_mnist": "MNIST",
    "dataset_fashion_mnist": "Fashion-MNIST",
    "dataset_cifar10": "CIFAR-10",
    "arch_fast_cnn": "Fast CNN (playground default)",
    "arch_mlp": "MLP 784-512-256-10",
    "arch_mnist_cnn": "MNIST CNN (two conv)",
    "arch_simple_cnn": "SimpleCNN",
    "arch_cifar10_net": "CIFAR10Net (BatchNorm + Dropout)",
    "arch_resnet_small": "Small ResNet",
    "opt_sgd": "SGD",
    "opt_momentum": "SGD + momentum",
    "opt_nesterov": "SGD + Nesterov momentum",
    "opt_adagrad": "Adagrad",
    "opt_rmsprop": "RMSprop",
    "opt_adam": "Adam",
    "opt_adamw": "AdamW (decoupled weight decay)",
    "sched_none": "constant",
    "sched_step": "step decay (StepLR)",
    "sched_exponential": "exponential decay",
    "sched_cosine": "cosine annealing",
    "sched_onecycle": "one cycle (OneCycleLR)",
}

ZH = {
    "dataset_digits": "手写数字 8x8（离线）",
    "dataset_mnist": "MNIST",
    "dataset_fashion_mnist": "Fashion-MNIST",
    "dataset_cifar10": "CIFAR-10",
    "arch_fast_cnn": "快速 CNN（本站默认）",
    "arch_mlp": "MLP 784-512-256-10",
    "arch_mnist_cnn": "MNIST CNN（两个卷积层）",
    "arch_simple_cnn": "SimpleCNN",
    "arch_cifar10_net": "CIFAR10Net（BatchNorm + Dropout）",
    "arch_resnet_small": "小型 ResNet",
    "opt_sgd": "SGD（随机梯度下降）",
    "opt_momentum": "SGD + 动量",
    "opt_nesterov": "SGD + Nesterov 动量",
    "opt_adagrad": "Adagrad",
    "opt_rmsprop": "RMSprop",
    "opt_adam": "Adam",
    "opt_adamw": "AdamW（解耦权重衰减）",
    "sched_none": "不变",
    "sched_step": "阶梯衰减（StepLR）",
    "sched_exponential": "指数衰减",
    "sched_cosine": "余弦退火",
    "sched_onecycle": "单周期（OneCycleLR）",
}
