"""The catalogue over the hall server: the CLI's ``matters`` commands and a matter's ticket."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from console.cli.main import app
from tests.server.conftest import Server

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "matters.csv"


def qc(server: Server, station: str, *args: str):
    env = {"QCONSOLE_TOKEN": server.tokens[station], "QCONSOLE_DB": ""}
    return CliRunner().invoke(app, [*map(str, args), "--server", server.url], env=env)


def test_matters_cli_over_the_server(server: Server) -> None:
    added = qc(server, "admin-pc", "matters", "add", "R-1", "--zh", "居住证申领",
               "--department", "GAJ", "--department-zh", "公安局", "--service", "ID",
               "--materials", "身份证;照片", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["materials"] == ["身份证", "照片"]
    imported = qc(server, "admin-pc", "matters", "import", EXAMPLE, "--json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["added"] == 6
    listed = qc(server, "desk-1", "matters", "list", "--json")
    assert listed.exit_code == 0
    assert {m["code"] for m in json.loads(listed.stdout)} >= {"R-1", "SCJG-0001", "GAJ-0002"}
    refused = qc(server, "desk-1", "matters", "add", "R-2", "--zh", "x", "--department", "GAJ",
                 "--service", "ID")  # fmt: skip
    assert refused.exit_code == 1  # a desk station is not an admin
    issued = qc(server, "admin-pc", "tickets", "issue", "--matter", "GAJ-0002", "--json")
    ticket = json.loads(issued.stdout)["ticket"]
    assert ticket["service_code"] == "PP" and ticket["matter_code"] == "GAJ-0002"
    changed = qc(server, "admin-pc", "tickets", "matter", ticket["number"], "R-1", "--json")
    assert changed.exit_code == 0, changed.output
    assert json.loads(changed.stdout)["service_code"] == "ID"
    bad = qc(server, "admin-pc", "matters", "import", EXAMPLE)
    assert bad.exit_code == 2 and "--update" in bad.stderr


def test_a_one_department_update_over_the_server_keeps_the_others(server: Server, tmp_path) -> None:
    from console.catalogue.files import write_csv
    from console.catalogue.generate import catalogue

    rows = catalogue(["ID"], departments=3, matters=30)
    for row in rows:  # apart from the matters the test above imported
        row["code"], row["department"] = f"T{row['code']}", f"T{row['department']}"
    whole, one = tmp_path / "all.csv", tmp_path / "one.csv"
    write_csv(whole, rows)
    assert qc(server, "admin-pc", "matters", "import", whole).exit_code == 0
    first = [r for r in rows if r["department"] == rows[0]["department"]]
    write_csv(one, first[1:])
    done = qc(server, "admin-pc", "matters", "import", one, "--update", "--json")
    assert done.exit_code == 0, done.output
    assert [m["code"] for m in json.loads(done.stdout)["retired_matters"]] == [first[0]["code"]]
    write_csv(one, first)
    too_many = qc(server, "admin-pc", "matters", "import", one, "--update", "--department",
                  rows[-1]["department"])  # fmt: skip
    assert too_many.exit_code == 1 and "no row of department" in too_many.stderr
    listed = json.loads(qc(server, "desk-1", "matters", "list", "--json").stdout)
    assert len([m for m in listed if m["code"].startswith("T")]) == 29
