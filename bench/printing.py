"""Printing benchmark: bytes per slip and render / send time per mode and paper width.

    uv run python bench/printing.py [--runs 50]

For each slip (ticket, receipt) and width (384 = 58 mm, 576 = 80 mm) it measures
qconsole's text and raster modes and, in the same run, python-escpos's own
plain-text output of the same content (``Dummy.textln`` of the same lines, its
native QR, ``cut``) sent with python-escpos's ``Network``. Sending goes to the
fake printer on 127.0.0.1 (printers.testing.FakePrinter), so send times are
loopback times plus qconsole's status checks before and after the job; a real
printer adds its own receive and print time. Every run prints a different
ticket number and QR address, so no cache helps. Targets (issue 4): a
text-mode ticket under 1 KB, a raster render under 20 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from printers import PrinterConfig, RenderOptions, render, send_job, text_lines
from printers.fonts import find_cjk_font
from printers.samples import sample_receipt, sample_ticket
from printers.testing import FakePrinter


def slip_for(kind: str, i: int):
    if kind == "ticket":
        return sample_ticket(number=f"A{i % 1000:03d}", qr_url=f"https://hall.example.gov.cn/t/{i}")
    return sample_receipt(
        number=f"B{i % 1000:03d}", feedback_url=f"https://hall.example.gov.cn/f/{i}"
    )


def escpos_plain(slip, width_dots: int) -> bytes:
    """python-escpos's own output of the same content: plain lines, its native QR, a cut."""
    from escpos.printer import Dummy

    printer = Dummy()
    printer.hw("INIT")
    lines = text_lines(slip, RenderOptions(width_dots=width_dots))
    for line in lines:
        printer.textln(line)
    url = getattr(slip, "qr_url", None) or getattr(slip, "feedback_url", None)
    if url:
        printer.qr(url, native=True, size=6)
    printer.cut()
    return printer.output


def escpos_send(address: str, data: bytes) -> None:
    from escpos.printer import Network

    host, port = address.split(":")
    printer = Network(host, int(port), timeout=3)
    printer.open()
    printer._raw(data)
    printer.close()


def timed(fn: Callable[[int], object], runs: int) -> tuple[list[float], object]:
    """Times of ``runs`` calls after one untimed warm-up call (fonts at each size loaded)."""
    times, result = [], fn(0)
    for i in range(runs):
        started = time.perf_counter()
        result = fn(i + 1)
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"{statistics.median(times):7.2f} / {p95:7.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="repetitions per cell (default 50)")
    args = parser.parse_args()
    runs = max(3, args.runs)

    font = find_cjk_font()
    import PIL

    print(f"# printing benchmark: {runs} runs per cell, times in ms as median / p95")
    print(
        f"python {platform.python_version()}, Pillow {PIL.__version__}, "
        f"{platform.machine()}, font {font or 'NONE (raster skipped)'}"
    )
    if font is not None:  # the first raster render loads the font: shown apart
        started = time.perf_counter()
        render(slip_for("ticket", 0), RenderOptions(mode="raster"))
        print(
            "cold first raster render (font loading): "
            f"{(time.perf_counter() - started) * 1000:.1f} ms"
        )
    print()
    print("| slip | width | output | bytes | render ms | send ms (loopback) | vs escpos bytes |")
    print("|---|---|---|---:|---:|---:|---:|")
    failures = []
    with contextlib.redirect_stdout(io.StringIO()) as chatter, FakePrinter("online") as fake:
        rows = []
        for kind in ("ticket", "receipt"):
            for width in (384, 576):
                base_times, base = timed(
                    lambda i, kind=kind, width=width: escpos_plain(slip_for(kind, i), width), runs
                )
                base_send, _ = timed(lambda i, base=base: escpos_send(fake.address, base), runs)
                rows.append(
                    (
                        kind,
                        width,
                        "python-escpos plain text",
                        len(base),
                        base_times,
                        base_send,
                        len(base),
                    )
                )
                for mode in ("text", "raster"):
                    if mode == "raster" and font is None:
                        continue
                    options = RenderOptions(width_dots=width, mode=mode)
                    times, data = timed(
                        lambda i, kind=kind, options=options: render(slip_for(kind, i), options),
                        runs,
                    )
                    config = PrinterConfig(
                        "bench", "network", fake.address, width_dots=width, mode=mode
                    )
                    send, _ = timed(
                        lambda i, config=config, data=data: send_job(config, data), runs
                    )
                    rows.append(
                        (kind, width, f"qconsole {mode}", len(data), times, send, len(base))
                    )
                    if kind == "ticket" and mode == "text" and len(data) >= 1024:
                        failures.append(f"text ticket {width}: {len(data)} bytes >= 1 KB")
                    if mode == "raster" and statistics.median(times) >= 20:
                        failures.append(
                            f"raster {kind} {width}: render {statistics.median(times):.1f} ms"
                        )
    for kind, width, name, size, times, send, base_size in rows:
        print(
            f"| {kind} | {width} | {name} | {size} | {summary(times)} | {summary(send)} | "
            f"{size / base_size:.2f}x |"
        )
    stray = chatter.getvalue().strip()
    print()
    print(
        f"targets: text ticket < 1 KB, raster render < 20 ms: {'met' if not failures else 'MISSED'}"
    )
    for line in failures:
        print(f"  missed: {line}")
    if stray:
        print(
            f"(python-escpos printed {len(stray.splitlines())} line(s) of its own, "
            "kept off the table)"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
