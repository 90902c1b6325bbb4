"""2-D playground: change the noise slider (a new dataset and a fresh run, then every picture redrawn)."""
PAGE = "pages/playground.py"


def change(at, i: int) -> None:
    at.slider(key="pg_noise").set_value([0.1, 0.2][i % 2])
