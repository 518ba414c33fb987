"""``qconsole announce NUMBER COUNTER``: the call as the hall hears it, played on this
machine's speakers or written to a WAV, made exactly as the boards make it (the hall's
templates, languages, repeats and recordings), so a hall can test its speakers and tune
its template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.cli.common import DbOpt, JsonOpt, ServerOpt, emit_json, guarded, open_hall, out


@guarded
def announce(
    number: Annotated[str, typer.Argument(help="The ticket number, e.g. A023.")],
    counter: Annotated[int, typer.Argument(help="The counter it is called to.")],
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language (zh-CN or "
                                             "en); default: the hall's announce_langs.",
                                             show_default=False)] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the WAV here instead "
                                                  "of playing it.", show_default=False)] = None,
    show: Annotated[bool, typer.Option("--show", help="Print the synthesizer's command "
                                       "lines, one per line.")] = False,
    player: Annotated[str | None, typer.Option("--player", help="The program that plays a WAV "
                                               "(its last argument); default: aplay, paplay, "
                                               "pw-play or play, the first installed.",
                                               show_default=False)] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Announce a call: the chime, then the call said in the hall's languages in turn.

    Example: qconsole announce A023 5 --out call.wav --show
    """
    from console.announce import Voice
    from console.announce.player import play
    from console.announce.words import lang_of

    langs = (lang_of(lang),) if lang else None
    hall = open_hall(db, server)
    try:
        settings = hall.settings()
    finally:
        hall.close()
    announcement = Voice.for_hall(settings).call(number, counter, langs=langs)
    played = None
    if out_file is not None:
        announcement.write(out_file)
    else:
        played = play(announcement.wav, player)
    if as_json:
        emit_json({"number": number, "counter": counter, "seconds": round(announcement.seconds, 2),
                   "said": [s.text for s in announcement.sentences],
                   "commands": list(announcement.commands),
                   "out": str(out_file) if out_file else None,
                   "player": " ".join(played) if played else None})  # fmt: skip
        return
    if show:
        for line in announcement.commands:
            out.out(line, highlight=False)
    if out_file is not None:
        out.print(f"{out_file}: {announcement.seconds:.1f} s", highlight=False)
