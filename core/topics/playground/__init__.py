"""The 2-D playground: the network and its live run (network.py), the toy data sets (datasets.py),
CSV uploads (upload.py), the URL spec (url.py), the generated script (codegen.py), figures and strings."""
