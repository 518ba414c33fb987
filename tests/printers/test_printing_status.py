"""DLE EOT answers: what they mean, and that silence is "unknown", never "paper OK"."""

from __future__ import annotations

from printers.status import QUERY, UNKNOWN, answer_bytes, is_status_byte, parse


def _answers(**state) -> bytes:
    table = answer_bytes(**state)
    return bytes((table[1], table[2], table[4]))


def test_online_with_paper():
    status = parse(_answers())
    assert status.known and status.online and not status.cover_open and status.paper == "ok"
    assert status.describe() == "online, paper ok"


def test_paper_out_cover_open_offline_near_end():
    assert parse(_answers(paper="out")).paper == "out"
    assert parse(_answers(paper="out")).describe() == "paper out"
    assert parse(_answers(cover_open=True)).cover_open
    assert parse(_answers(online=False)).describe() == "offline"
    near = parse(_answers(paper="near_end"))
    assert near.online and near.paper == "near_end"


def test_no_answer_is_unknown_never_paper_ok():
    for raw in (b"", b"\x12", b"\x12\x12", b"\xff\xff\xff", b"abc"):
        status = parse(raw)
        assert status == UNKNOWN
        assert status.paper == "unknown" and status.online is None
        assert "unknown" in status.describe()


def test_stray_bytes_before_the_answers_are_ignored():
    # a real printer may answer a DLE EOT sequence found inside image data first
    assert parse(b"\x16" + _answers(paper="out")).paper == "out"
    assert parse(_answers() + _answers(cover_open=True)).cover_open


def test_query_and_answer_shapes():
    assert QUERY == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
    assert all(is_status_byte(b) for b in _answers(paper="out", cover_open=True))
    assert not is_status_byte(0x00) and not is_status_byte(0xFF)
