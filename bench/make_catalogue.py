"""Write a generated one-stop hall catalogue as the files departments send: CSV (UTF-8 and
GB18030) and XLSX, ready for ``qconsole matters import``.

    uv run python bench/make_catalogue.py /tmp/catalogue [--matters 1044] [--departments 29]
        [--queues ZH,QY,GA]

The default is the hall the issue names: 1,044 matters of 29 departments. The queues
are service codes the hall must have; departments are called in them in turn.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.catalogue.files import write_csv, write_xlsx
from console.catalogue.generate import catalogue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="A directory for the three files.")
    parser.add_argument("--matters", type=int, default=1044)
    parser.add_argument("--departments", type=int, default=29)
    parser.add_argument("--queues", default="ZH", help="Service codes, comma-separated.")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rows = catalogue(args.queues.split(","), departments=args.departments,
                     matters=args.matters, seed=args.seed)  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"catalogue-{args.matters}"
    write_csv(args.out / f"{name}.csv", rows)
    write_csv(args.out / f"{name}-gb18030.csv", rows, encoding="gb18030")
    write_xlsx(args.out / f"{name}.xlsx", rows)
    print(f"{len(rows)} matters of {len({r['department'] for r in rows})} departments in "
          f"{args.out}/{name}.csv, {name}-gb18030.csv and {name}.xlsx")  # fmt: skip


if __name__ == "__main__":
    main()
