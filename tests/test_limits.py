"""How each way of holding a kernel's limits is put together (:mod:`autograder.limits`).

The attacks themselves are in ``tests/test_kernel_limits.py``; these check the parts
that a machine other than this one would use (rlimits as root, systemd scopes).
"""

from pathlib import Path

import pytest

from autograder import limits
from autograder.limits import ADDRESS_HEADROOM, NOBODY, Confinement, Limits, describe_limits

LIMITS = Limits(memory_bytes=300 * 2**20, processes=40)


def confinement_as(monkeypatch, how: str, uid: int) -> Confinement:
    monkeypatch.setattr(limits, "enforcement", lambda: how)
    monkeypatch.setattr(limits.os, "getuid", lambda: uid)
    return Confinement(LIMITS)


def test_without_cgroups_root_starts_kernels_as_nobody_under_rlimits(monkeypatch):
    confinement = confinement_as(monkeypatch, "rlimit", 0)
    assert confinement.uid == NOBODY
    assert confinement.prefix() == ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
                                    "--clear-groups", "--"]
    options = confinement.rlimits()
    assert f"--as={LIMITS.memory_bytes + ADDRESS_HEADROOM}" in options
    assert any(option.startswith("--nproc=") for option in options)
    assert "as uid 65534 (nobody)" in describe_limits(LIMITS, timeout=1, notebook_timeout=2)


def test_without_cgroups_a_user_keeps_its_own_uid(monkeypatch):
    confinement = confinement_as(monkeypatch, "rlimit", 1234)
    assert (confinement.uid, confinement.prefix()) == (1234, [])


def test_a_systemd_scope_holds_memory_and_tasks(monkeypatch):
    prefix = confinement_as(monkeypatch, "systemd-run", 1234).prefix()
    assert prefix[:2] == ["systemd-run", "--user"] and prefix[-1] == "--"
    assert f"--property=MemoryMax={LIMITS.memory_bytes}" in prefix
    assert f"--property=TasksMax={LIMITS.processes}" in prefix
    assert "--user" not in confinement_as(monkeypatch, "systemd-run", 0).prefix()


def test_groups_hold_memory_and_processes_and_go_away():
    if limits.enforcement() != "cgroup v1":
        pytest.skip("no writable cgroup v1 hierarchy here")
    confinement = Confinement(LIMITS)
    memory, pids = confinement._groups
    assert int((memory / "memory.limit_in_bytes").read_text()) == LIMITS.memory_bytes
    assert (pids / "pids.max").read_text().strip() == str(LIMITS.processes)
    assert not any(option.startswith(("--as=", "--nproc=")) for option in confinement.rlimits())
    assert f'echo $$ > "{memory}/cgroup.procs"' in confinement.join_script()
    confinement.close()
    assert not memory.exists() and not pids.exists()
    assert Path(memory.parent).exists()
