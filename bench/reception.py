"""Reception's search, one keystroke at a time, over a one-stop hall's catalogue: 1,044
matters of 29 departments (and 10,000), beside a plain substring scan in the same run.

    uv run python bench/reception.py [--typists 200] [--sizes 1044,10000]

For each size, the generated catalogue (``console.catalogue.generate``) with random
issue counts is indexed as the reception screen indexes it, then typists look for
random matters the ways staff type: pinyin initials (gtgsh), whole pinyin (getigong…),
the Chinese name (个体工商户…), the code, and the department's initials then a word.
Every keystroke is one search, timed:

  search    ``CatalogueIndex.search(text)``: the whole search, ranked, best 50;
  baseline  the names containing the text (``substring_scan``): the cheapest search there
            is, which finds neither pinyin nor initials nor codes and ranks nothing.

Targets: search p95 < 20 ms at 1,044 matters and < 50 ms at 10,000. The index's build
(pinyin of every name, once per screen load, in a worker) is reported apart.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.catalogue.generate import DEPARTMENTS, catalogue
from console.catalogue.search import CatalogueIndex, _pinyin, substring_scan
from console.domain import Department, Matter


def build(size: int, rng: random.Random) -> tuple[list[Matter], list[Department]]:
    rows = catalogue(["ZH", "QY", "GA"], matters=size)
    matters = [Matter(id=i, code=r["code"], name_zh=r["name_zh"], name_en=r["name_en"],
                      department=r["department"], service=r["service"],
                      issued_recent=int(rng.paretovariate(1.2)) - 1)
               for i, r in enumerate(rows)]  # fmt: skip
    departments = [Department(id=i, code=code, name_zh=zh, name_en=en)
                   for i, (code, zh, en, _) in enumerate(DEPARTMENTS)]  # fmt: skip
    return matters, departments


def typed(matter: Matter, departments: dict[str, Department], how: str) -> str:
    """What a member of staff types, in full, to find ``matter`` in the way ``how``."""
    full, initials = _pinyin(matter.name_zh)
    if how == "initials":
        return initials[:7]
    if how == "pinyin":
        return full[:10]
    if how == "chinese":
        return matter.name_zh[:4]
    if how == "code":
        return matter.code
    dept_initials = _pinyin(departments[matter.department].name_zh)[1]
    return f"{dept_initials[:3]} {initials[:3]}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(size: int, typists: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    matters, departments = build(size, rng)
    _pinyin.cache_clear()
    started = time.perf_counter()
    index = CatalogueIndex((), matters, departments)
    built = time.perf_counter() - started
    names = [m.name_zh for m in matters]
    by_code = {d.code: d for d in departments}
    search, baseline, found = [], [], 0
    for _ in range(typists):
        matter = rng.choice(matters)
        text = typed(matter, by_code, rng.choice(["initials", "pinyin", "chinese", "code",
                                                  "department"]))  # fmt: skip
        index.search("")  # a new citizen: the search starts empty
        for end in range(1, len(text) + 1):
            t0 = time.perf_counter()
            result = index.search(text[:end])
            t1 = time.perf_counter()
            substring_scan(names, text[:end])
            t2 = time.perf_counter()
            search.append((t1 - t0) * 1000)
            baseline.append((t2 - t1) * 1000)
        found += any(e.code == matter.code for e in result)
    return {
        "size": size,
        "keystrokes": len(search),
        "build_s": built,
        "search_p50": statistics.median(search),
        "search_p95": percentile(search, 0.95),
        "search_max": max(search),
        "base_p50": statistics.median(baseline),
        "base_p95": percentile(baseline, 0.95),
        "found": found / typists,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--typists", type=int, default=200)
    parser.add_argument("--sizes", default="1044,10000")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    print(
        "| matters | keystrokes | index build | search p50 | search p95 | search max "
        "| substring p50 | substring p95 | p95 ratio | found in the best 50 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        r = run(size, args.typists, args.seed)
        print(f"| {size:,} | {r['keystrokes']} | {r['build_s']:.2f} s | {r['search_p50']:.2f} ms "
              f"| {r['search_p95']:.2f} ms | {r['search_max']:.1f} ms | {r['base_p50']:.2f} ms "
              f"| {r['base_p95']:.2f} ms | {r['search_p95'] / r['base_p95']:.1f}× "
              f"| {r['found']:.0%} |")  # fmt: skip


if __name__ == "__main__":
    main()
