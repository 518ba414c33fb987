"""The failover drill (``tests/standby/drill.py``): 16 stations keep working through the
primary's SIGKILL, the standby's restore and start; no ticket number is given twice, a
citizen whose call was lost is called back at the same counter only, a stalled replica is
seen on /health, and the old primary, started again, does not take the hall back.

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
    # a call the standby lacks: that citizen is called at the same counter, never another
    assert result.called_elsewhere == [], summary


@pytest.mark.slow
def test_failover_with_a_directory_replica_and_the_old_primary_restarted():
    result = run_drill("directory", work_s=3.0, after_s=2.0, restart_old=True)
    check(result)
    # started again with its usual command, the old primary refuses: the replica names the
    # standby's generation
    assert result.old_primary_exit == 1, result.old_primary_said
    assert "the hall moved on without this server" in result.old_primary_said
    # started without its replica it serves, but no station uses it, a new one neither
    assert result.acks_on_old_primary == 0, result.summary()
    assert result.new_station_on == "standby", result.summary()


@pytest.mark.slow
@pytest.mark.skipif(Sshd.missing() is not None, reason=str(Sshd.missing()))
def test_failover_after_a_stalled_sftp_replica():
    result = run_drill("sftp", work_s=2.0, after_s=2.0, stall_s=2.0)
    check(result)
    # the primary said within seconds that the replica lagged, counted in writes
    assert result.stall_seen_s is not None and result.stall_seen_s <= 10, result.summary()
    assert result.stall_health["lag_writes"] > 0, result.summary()
    # the restore knew it too: the gap covers what the replica lacked (and the setting)
    assert result.gap >= 50, result.summary()
    assert result.gap >= result.lost_commits or result.duplicates == [], result.summary()
