"""An autouse fixture for test modules that train tiny networks: one torch thread while they run.

Tiny tensors gain nothing from a second thread, and on a loaded 2-core machine (other test runs,
the app) two OpenMP threads spin against each other and run 10-30x slower. Import it into a test
module (`from tests.unit.single_thread import one_torch_thread  # noqa: F401`) to apply it there.
"""
import pytest
import torch


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Use one intra-op thread for this module, then put the previous count back."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
