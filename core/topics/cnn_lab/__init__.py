"""The CNN lab: setups, runs and records (lab.py), looking inside a model (inspection.py), the
generated script (codegen.py), figures and strings."""
