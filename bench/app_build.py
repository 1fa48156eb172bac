"""What building the daemon's application costs (``create_app``: every plugin's operations, their
request and response validators, the OpenAPI document), with the meta-schema check of each
operation's schemas done once per content in the process, against the same build checking
every schema again (the baseline: what each build cost before), alternating in the same run.

    python bench/app_build.py [--rounds 5] [--builds 10]

The test suite builds an app for most of its tests; the daemon builds one at start.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from aiguillage import api
from aiguillage.app import create_app
from aiguillage.config import load_settings
from aiguillage.plugin_manager import load_plugins


def build(data_dir: Path, fresh_checks: bool) -> float:
    plugins = load_plugins()
    settings = load_settings(None, plugins.infos)
    settings.daemon.data_dir = data_dir
    if fresh_checks:
        api._check_schema.cache_clear()
    started = time.perf_counter()
    create_app(settings, plugins, validate_responses=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--builds", type=int, default=10)
    args = parser.parse_args()
    cached: list[float] = []
    baseline: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "warm", False)  # imports, and the first check of each schema
        for r in range(args.rounds):
            for n in range(args.builds):
                baseline.append(build(Path(tmp) / f"b{r}-{n}", True))
                cached.append(build(Path(tmp) / f"c{r}-{n}", False))
    base, now = statistics.median(baseline), statistics.median(cached)
    print(f"create_app, median of {len(cached)} builds each (all plugins loaded):")
    print(f"  schemas checked on every build (baseline): {base * 1000:7.1f} ms")
    print(f"  schemas checked once per content:          {now * 1000:7.1f} ms")
    print(f"  ratio: {now / base:.2f}")


if __name__ == "__main__":
    main()
