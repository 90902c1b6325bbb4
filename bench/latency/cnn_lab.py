"""CNN lab: rerun after flipping the confusion-matrix normalisation (no training), with one finished
tiny run in the session (offline digits, 200 images, one epoch)."""
PAGE = "pages/cnn_lab.py"


def prepare(at) -> None:
    """Put a finished run into the session, as if the learner had trained one."""
    from dataclasses import replace

    from core.topics.cnn_lab import lab
    from core.data import ImageDataConfig, load_images
    from core.recipes import MNIST_DEFAULT

    data_config = ImageDataConfig("digits", 200)
    data = load_images(data_config)
    setup = lab.LabSetup(data_config, MNIST_DEFAULT.model, replace(MNIST_DEFAULT.train, epochs=1))
    run = lab.new_run(setup, data)
    run.start()
    while not run.done:
        run.advance(max_seconds=5.0)
    at.session_state["cnn_dataset"] = "digits"
    at.session_state["cnn_size"] = 200
    at.session_state["cnn_runs"] = [lab.finish(1, run, data)]
    at.session_state["cnn_next_id"] = 2


def change(at, i: int) -> None:
    at.toggle(key="cnn_norm").set_value(i % 2 == 1)
