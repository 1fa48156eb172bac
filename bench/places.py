"""Birth-place prefix search (``Places.search``, what ``GET /v1/insee/places`` runs) against an
exact code lookup at a date (``Places.lookup``, the baseline), interleaved in the same run.

    python bench/places.py [--rounds 5] [--queries 2000]

Queries are prefixes of 1 to 8 letters of real place names ("s", "st e", "clerm"…), typed as
a user would (lower case, no accents, ST for SAINT), each at a random birth date since 1943.
Target (issue 16): prefix search p99 < 5 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from aiguillage.places import birth_places, fold_place


def queries(table, count: int, rng: random.Random) -> list[tuple[str, dt.date, str]]:
    names = [p for p in table.places if p.kind in ("commune", "pays")]
    out = []
    for _ in range(count):
        place = rng.choice(names)
        typed = fold_place(place.name).lower().replace("saint ", "st ")
        day = dt.date(1943, 1, 1) + dt.timedelta(days=rng.randrange(30000))
        out.append((typed[: rng.randint(1, 8)].rstrip() or typed[:1], day, place.code))
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    started = time.perf_counter()
    table = birth_places()
    print(f"table: {len(table)} places, loaded in {(time.perf_counter() - started) * 1000:.0f} ms")
    rng = random.Random(16)
    work = queries(table, args.queries, rng)
    search: list[list[float]] = []
    lookup: list[list[float]] = []
    for _ in range(args.rounds):
        for side, times in (("lookup", lookup), ("search", search)):
            round_times = []
            for q, day, code in work:
                t = time.perf_counter()
                if side == "search":
                    table.search(q, day, limit=20)
                else:
                    table.lookup(code, day)
                round_times.append(time.perf_counter() - t)
            times.append(round_times)
    print(f"{args.rounds} rounds x {args.queries} queries each, interleaved (lookup, search):")
    for label, times in (
        ("exact code lookup (baseline)", lookup),
        ("prefix search, limit 20", search),
    ):
        every = [t for r in times for t in r]
        medians = [statistics.median(r) * 1e3 for r in times]
        p99s = [percentile(r, 0.99) * 1e3 for r in times]
        print(
            f"  {label:29} p50 {statistics.median(every) * 1e3:6.3f} ms "
            f"(rounds {min(medians):.3f}-{max(medians):.3f})   "
            f"p99 {percentile(every, 0.99) * 1e3:6.3f} ms (rounds {min(p99s):.3f}-{max(p99s):.3f})"
            f"   max {max(every) * 1e3:6.3f} ms"
        )
    s = [t for r in search for t in r]
    b = [t for r in lookup for t in r]
    print(f"  ratio of p50 search/lookup: {statistics.median(s) / statistics.median(b):.1f}")
    verdict = "met" if percentile(s, 0.99) < 0.005 else "MISSED"
    print(f"  target p99 < 5 ms: {verdict}")


if __name__ == "__main__":
    main()
