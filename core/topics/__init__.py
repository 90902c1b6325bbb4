"""One package per topic page: its maths and runs, figures (charts.py), strings (strings.py), code
generator and URL spec. A topic never imports another topic (tests/unit/test_core_isolation.py);
what two topics share lives in core/'s top level."""
