"""Daybook's benchmarks: each reports ratios to a baseline measured in the same run.

Run one from the repository root as a module, e.g. `./run python -m bench.engine --quick`:
`bench.engine`, `bench.scheduled`, `bench.interactions`, `bench.logs`, `bench.growth` (the benches
at several sizes), `bench.docs` (regenerates docs/performance.md from their Markdown) and
`bench.synthetic` (builds the synthetic server on its own). docs/performance.md has the figures
and how to read them.
"""
