"""laylint: a linter for the layout and wiring of Python AWS serverless repositories.

The wheel installs the `laylint` binary on PATH; this package only lets
`python -m laylint` run it.
"""
