"""The failover drill (``tests/standby/drill.py``): 16 stations keep working through the
primary's SIGKILL, the standby's restore and start; no ticket number is given twice.

The figures (RPO, RTO) are the benchmark's (``bench/standby.py``): here only what must
hold however slow the machine is."""

from __future__ import annotations

import pytest

from tests.standby.drill import DESKS, ISSUERS, Sshd, run_drill


def check(result) -> None:
    summary = result.summary()
    assert summary["acked_on_primary"] > 0, summary
    assert result.duplicates == [], summary  # no number handed to two citizens
    assert result.failover_events == 1, summary  # the event log says it happened
    assert result.stations_on_standby == ISSUERS + DESKS, summary  # every station went on
    assert result.first_standby_ack is not None, summary
    # what the replica lacked was acknowledged within the primary's last moments only:
    # never more than the actions the stations made after the replica's last change
    assert len(result.lost) <= result.lost_commits, summary


@pytest.mark.slow
def test_failover_with_a_directory_replica():
    check(run_drill("directory", work_s=3.0, after_s=2.0))


@pytest.mark.slow
@pytest.mark.skipif(Sshd.missing() is not None, reason=str(Sshd.missing()))
def test_failover_with_an_sftp_replica_through_a_local_sshd():
    check(run_drill("sftp", work_s=3.0, after_s=2.0))
