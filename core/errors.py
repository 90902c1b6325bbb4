"""Expected failures, each with a sentence a learner can act on.

Pages catch these and show the message (plus what to do next); no traceback reaches the browser.
"""


class PlaygroundError(Exception):
    """Base class: `str(error)` is a complete, human sentence."""


class DatasetUnavailable(PlaygroundError):
    """A dataset's files are missing and could not be downloaded."""


class BadImage(PlaygroundError):
    """An uploaded or drawn image cannot be used."""


class BadUpload(PlaygroundError):
    """An uploaded file (CSV, weights, ...) is malformed or too large."""


class IncompatibleCheckpoint(PlaygroundError):
    """Saved weights do not fit the model they are loaded into."""
