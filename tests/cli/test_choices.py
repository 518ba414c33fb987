"""Options with a fixed set of values are real choices: checked, listed in help, completed."""

from __future__ import annotations

from typing import get_args

import pytest

from console.cli.common import GreenReason, Outcome, Role
from console.domain.model import GREEN_REASONS, OUTCOMES, ROLES


def test_cli_choices_mirror_the_domain():
    assert get_args(Role) == ROLES
    assert get_args(GreenReason) == GREEN_REASONS
    assert get_args(Outcome) == OUTCOMES


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (("export", "--help"), "tickets|events|summary"),
        (("export", "--help"), "csv|jsonl|xlsx"),
        (("export", "--help"), "names|zh|en"),
        (("report", "--help"), "table|json|md|html"),
        (("tickets", "issue", "--help"), "elderly|disabled"),
        (("clerks", "add", "--help"), "clerk|manager|admin"),
    ],
)
def test_help_lists_the_choices(qc, args, listed):
    r = qc(*args, db=False)
    assert r.exit_code == 0 and listed in r.stdout


def test_a_value_outside_the_choices_is_one_line_exit_2(qc_hall):
    r = qc_hall("tickets", "issue", "ID", "--priority", "vip")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "vip" in r.stderr
    r = qc_hall("export", "--header", "fr", "--json")
    assert r.exit_code == 2 and r.stderr.startswith('{"error": "bad_input"')
