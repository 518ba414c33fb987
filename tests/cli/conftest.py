"""Run ``qconsole`` in-process with typer's CliRunner against a temporary hall."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from console.cli.main import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout)


class Qconsole:
    """``qc("tickets", "list")`` runs the command against this test's database."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, db: bool = True, input: str | None = None) -> Run:
        argv = [str(a) for a in args]
        env = {"QCONSOLE_DB": str(self.db)} if db else {}
        result = self.runner.invoke(app, argv, env=env, input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def qc(db_path: Path) -> Qconsole:
    return Qconsole(db_path)


@pytest.fixture
def qc_hall(qc: Qconsole) -> Qconsole:
    """An initialised hall with one service, one counter and a clerk."""
    assert qc("init").exit_code == 0
    assert (
        qc(
            "services",
            "add",
            "ID",
            "--zh",
            "身份证",
            "--en",
            "ID card",
            "--prefix",
            "A",
            "--materials",
            "户口簿;照片",
        ).exit_code
        == 0
    )
    assert qc("counters", "add", "1", "--services", "ID").exit_code == 0
    assert qc("clerks", "add", "1001", "--name", "王芳", "--pin", "2468").exit_code == 0
    return qc
