"""The program as installed: what it reads at run time is there, or it refuses."""

from __future__ import annotations

from console.store import migrations


def test_init_without_migrations_refuses_and_creates_nothing(qc, monkeypatch):
    monkeypatch.setattr(migrations, "SCRIPTS", [])
    r = qc("init")
    assert r.exit_code == 3
    assert "no schema migrations" in r.stderr and r.stderr.count("\n") == 1
    assert not qc.db.exists()
