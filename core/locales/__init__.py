"""One module per topic, each with `EN` and `ZH` dicts of the same keys."""
