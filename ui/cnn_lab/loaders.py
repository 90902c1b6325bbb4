"""Cached loaders shared by the CNN lab's tabs; keyed by configs, seeds and small arrays, never tensors.

Datasets and trained weights are st.cache_resource (one read-only copy shared by every session);
summaries and scripts st.cache_data. Every cache is bounded by max_entries.
"""
import streamlit as st

from core.topics.cnn_lab import inspection as insp
from core.topics.cnn_lab import lab
from core.topics.cnn_lab import charts
from core.topics.cnn_lab.codegen import script
from core.data import ImageData, ImageDataConfig, load_images


@st.cache_resource(max_entries=4, show_spinner=False)
def data(name: str, train_size: int | None, seed: int) -> ImageData:
    """A dataset's tensors (shared read-only between sessions)."""
    return load_images(ImageDataConfig(name, train_size, seed=seed))


def data_for(config: ImageDataConfig) -> ImageData:
    """`data` for an ImageDataConfig (e.g. the one a run or an uploaded checkpoint was made with)."""
    return data(config.name, config.train_size, config.seed)


@st.cache_resource(max_entries=16, show_spinner=False)
def trained(key: str, _setup: lab.LabSetup):
    """The disk-cached weights of a setup (keyed by setup.key()); KeyError, not cached, when never trained."""
    return lab.load_trained(_setup)


@st.cache_data(max_entries=32, show_spinner=False)
def summary(model_json: dict):
    """The model summary rows and parameter total for a ModelConfig given as its dict."""
    return lab.model_summary(lab.ModelConfig.from_dict(model_json))


@st.cache_resource(max_entries=64, show_spinner=False)
def fig(kind: str, *args):
    """core.topics.cnn_lab.charts.<kind>(*args), cached because building a Figure is slow; never mutated.

    Keyed by small arrays and history dicts: the content, so equal runs in two sessions share a
    figure and no session's run id leaks into another's.
    """
    return getattr(charts, kind)(*args)


@st.cache_data(max_entries=16, show_spinner=False)
def samples(name: str, train_size: int | None, seed: int) -> list:
    """One strip of random training images per class."""
    return insp.dataset_samples(data(name, train_size, seed), seed=seed)


@st.cache_data(max_entries=16, show_spinner=False)
def code(setup_json: dict) -> str:
    """The plain PyTorch script for a LabSetup given as its dict."""
    return script(lab.LabSetup.from_dict(setup_json))
