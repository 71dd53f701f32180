"""Resource limits of a learner's kernel, held by the operating system as root and as a user.

Three ways to hold them, the first that this machine allows (:func:`enforcement`):

``cgroup v1``
    The kernel joins a memory group and a pids group of its own, made below the
    grader's own groups in the ``memory`` and ``pids`` hierarchies. Memory counts
    every page the kernel's processes use, in-memory files (``/tmp``, ``/dev/shm``,
    its home) included, so writing files is bounded by the memory limit too. Root is
    bound like anyone else.
``systemd-run``
    Where cgroup v2 is managed by systemd: the kernel starts in a transient scope with
    ``MemoryMax`` and ``TasksMax`` (``--user`` for a normal user with a session).
``rlimit``
    Where neither is available: per-process limits (address space, processes of the
    user, file size). Linux exempts root from the process limit, so a grader run as
    root starts the kernel as the unprivileged user ``nobody`` (uid 65534). In-memory
    folders are limited in size each (where bubblewrap has ``--size``), not counted in
    the memory limit; files in the kernel's connection folder only one by one.

In every case the CPU time, file size, open files and core dumps are rlimits too,
and the wall-clock time and the output are enforced by the grader
(:mod:`autograder.kernel`).
"""

import os
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["ADDRESS_HEADROOM", "DEFAULT_LIMITS", "Confinement", "Limits", "describe_limits",
           "enforcement"]

NOBODY = 65534
"""The unprivileged uid (and gid) a root grader runs kernels as when no cgroup is writable."""
_CGROUP_ROOT = Path("/sys/fs/cgroup")
ADDRESS_HEADROOM = 2**30
"""Address space allowed beyond the memory limit under rlimits: libraries map far more than
they use (a kernel with NumPy and Matplotlib maps about 800 MiB to use 100 MiB)."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one learner kernel."""

    memory_bytes: int = 2 * 2**30
    """Memory of the kernel and everything it starts, its in-memory files included
    (with cgroups); otherwise the size of each in-memory folder, and address space of
    each process with :data:`ADDRESS_HEADROOM` added."""
    processes: int = 64
    """Processes and threads of the kernel, its own included (cgroups); processes the
    kernel's user may add beyond those it has otherwise."""
    cpu_seconds: int = 600
    """CPU time of each process, whatever its cells."""
    file_bytes: int = 256 * 2**20
    """Largest file the kernel may write."""
    open_files: int = 256
    output_bytes: int = 64 * 2**20
    """Characters one cell may print (stdout, stderr, displays) before its kernel is killed."""
    notebook_output_bytes: int = 256 * 2**20
    """Characters one kernel may print in all its cells before it is killed."""


DEFAULT_LIMITS = Limits()
"""The limits of a learner kernel unless the caller gives others."""


def _v1_group_folder(controller: str) -> Path | None:
    """Return this process's own folder in the cgroup v1 hierarchy of ``controller``."""
    own = None
    for line in Path("/proc/self/cgroup").read_text(encoding="utf-8").splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            own = path
    if own is None:
        return None
    for line in Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        fstype, options = fields[fields.index("-") + 1], fields[-1]
        if fstype == "cgroup" and controller in options.split(","):
            root, mount = fields[3], Path(fields[4])
            relative = os.path.relpath(own, root)
            return mount if relative.startswith("..") else (mount / relative).resolve()
    return None


@cache
def _v1_writable() -> dict[str, Path] | None:
    """Return the memory and pids folders where this process may make groups, or None.

    Asked once per process: it makes and removes a probe group in each.
    """
    folders = {name: _v1_group_folder(name) for name in ("memory", "pids")}
    if not all(folders.values()):
        return None
    for folder in folders.values():
        probe = folder / f"autograder-probe-{uuid.uuid4().hex[:12]}"
        try:
            probe.mkdir()
            probe.rmdir()
        except OSError:
            return None
    return folders


def _systemd_scope_prefix(limits: Limits) -> list[str]:
    """Return the ``systemd-run --scope`` command that starts a program under ``limits``."""
    user = ["--user"] if os.getuid() != 0 else []
    return ["systemd-run", *user, "--scope", "--quiet", "--collect",
            f"--property=MemoryMax={limits.memory_bytes}", "--property=MemorySwapMax=0",
            f"--property=TasksMax={limits.processes}", "--"]


def _systemd_scope_works() -> bool:
    """Whether a transient scope with memory and task limits can be started here."""
    if shutil.which("systemd-run") is None or not (_CGROUP_ROOT / "cgroup.controllers").exists():
        return False
    try:
        done = subprocess.run([*_systemd_scope_prefix(DEFAULT_LIMITS), "true"],
                              capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@cache
def enforcement() -> str:
    """Return how limits are held on this machine: ``cgroup v1``, ``systemd-run`` or ``rlimit``.

    Asked once per process (it may start a probe scope).
    """
    if _v1_writable() is not None:
        return "cgroup v1"
    if _systemd_scope_works():
        return "systemd-run"
    return "rlimit"


def _user_processes(uid: int) -> int:
    """How many processes ``uid`` runs now (RLIMIT_NPROC counts them all)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                pass
    return count


def _size(n: int) -> str:
    """``n`` bytes in MiB or GiB, as a person writes it."""
    return f"{n / 2**30:g} GiB" if n >= 2**30 else f"{n / 2**20:g} MiB"


def describe_limits(limits: Limits, *, timeout: float, notebook_timeout: float) -> str:
    """Return one line that says which limits hold for each learner kernel, and how.

    Parameters
    ----------
    limits : Limits
        The kernels' limits.
    timeout, notebook_timeout : float
        Seconds per cell and per notebook (enforced by the grader).
    """
    how = enforcement()
    if how == "rlimit":
        user = " as uid 65534 (nobody)" if os.getuid() == 0 else ""
        memory = (f"address space {_size(limits.memory_bytes + ADDRESS_HEADROOM)} per process, "
                  f"in-memory folders {_size(limits.memory_bytes)} each (not counted in "
                  f"memory); {limits.processes} more processes of the user{user}")
    else:
        memory = (f"memory {_size(limits.memory_bytes)} with /tmp, /dev/shm and home counted; "
                  f"{limits.processes} processes and threads")
    return (f"limits ({how}): {memory}; files up to {_size(limits.file_bytes)}; "
            f"CPU {limits.cpu_seconds} s per process; output {_size(limits.output_bytes)} per "
            f"cell, {_size(limits.notebook_output_bytes)} per notebook; wall time "
            f"{timeout:g} s per cell, {notebook_timeout:g} s per notebook, killed from outside")


class Confinement:
    """The limits of one kernel: its cgroups, or the rlimits and user that stand in for them.

    Parameters
    ----------
    limits : Limits
        What to hold.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.how = enforcement()
        self._groups: list[Path] = []
        self._peak = None
        if self.how == "cgroup v1":
            name = f"autograder-{uuid.uuid4().hex[:16]}"
            folders = _v1_writable() or {}
            memory, pids = folders["memory"] / name, folders["pids"] / name
            try:
                for folder in (memory, pids):
                    folder.mkdir()
                    self._groups.append(folder)
                (memory / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                swap = memory / "memory.memsw.limit_in_bytes"
                if swap.exists():
                    swap.write_text(str(limits.memory_bytes))
                (pids / "pids.max").write_text(str(limits.processes))
            except OSError:
                self.close()
                raise

    @property
    def uid(self) -> int:
        """The uid the kernel runs as on the host: ``nobody`` for root under rlimits."""
        return NOBODY if self.how == "rlimit" and os.getuid() == 0 else os.getuid()

    def join_script(self) -> str:
        """Return shell lines that put the shell (``$$``) in the kernel's groups."""
        return "".join(f'echo $$ > "{group}/cgroup.procs" || exit 97\n' for group in self._groups)

    def prefix(self) -> list[str]:
        """Return the command that the sandbox starts under (scope or user change), maybe none."""
        if self.how == "systemd-run":
            return _systemd_scope_prefix(self.limits)
        if self.uid != os.getuid():
            return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
        return []

    def rlimits(self) -> list[str]:
        """Return ``prlimit`` options for the limits no group holds."""
        options = [f"--cpu={self.limits.cpu_seconds}", f"--fsize={self.limits.file_bytes}",
                   f"--nofile={self.limits.open_files}", "--core=0"]
        if self.how == "rlimit":
            options += [f"--as={self.limits.memory_bytes + ADDRESS_HEADROOM}",
                        f"--nproc={_user_processes(self.uid) + self.limits.processes}"]
        return options

    def memory_used(self) -> int | None:
        """Return the peak memory of the kernel's group in bytes (cgroup v1; also after close)."""
        for group in self._groups:
            peak = group / "memory.max_usage_in_bytes"
            if peak.exists():
                self._peak = int(peak.read_text())
        return self._peak

    def close(self) -> None:
        """Kill whatever is left in the kernel's groups and remove them (within 2 s)."""
        self.memory_used()
        for group in self._groups:
            for _ in range(100):
                try:
                    pids = (group / "cgroup.procs").read_text().split()
                    for pid in pids:
                        os.kill(int(pid), signal.SIGKILL)
                    group.rmdir()
                    break
                except ProcessLookupError:
                    continue
                except FileNotFoundError:
                    break
                except OSError:  # busy while the killed processes exit
                    time.sleep(0.02)
        self._groups = []
