"""The learner's kernel in a sandbox: bubblewrap for the view of the system, rlimits for the rest.

Each notebook gets its own kernel in its own scratch folder. Under
:func:`sandboxed_argv` the kernel sees

* no network (a new network namespace; the kernel talks to the grader over
  ``ipc`` sockets in the scratch folder),
* the system read-only, and writes only to its scratch folder (its ``HOME``);
* none of the hidden paths: the repository (instructor notebooks, manifests,
  the reference library), the submissions, the grader's output and gradebook,
  every home folder, ``/tmp``, ``/var/tmp``, ``/srv``, ``/mnt`` and ``/media``
  are covered by empty in-memory folders; only the Python installation that
  runs the kernel is bound back, read-only (the rest of the system stays
  visible, read-only: keep answer keys in one of the hidden places);
* its own process namespace: every process it starts ends when the kernel ends;
* limits (``prlimit``) on address space, processes, open files, file size and
  CPU time, with all capabilities dropped so that root is bound by them too.

Bubblewrap comes from Debian's package ``bubblewrap`` (``make`` installs it
when it runs as root; see the README otherwise).
"""

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError

__all__ = ["DEFAULT_LIMITS", "Limits", "SandboxUnavailable", "check_available", "sandboxed_argv"]

_ALWAYS_HIDDEN = tuple(Path(p) for p in ("/tmp", "/var/tmp", "/home", "/root", "/srv", "/mnt",
                                          "/media", "/run/user"))
"""Where people and programs keep their own files: never shown to a learner's kernel."""

KERNEL_ARGS = ["-m", "ipykernel_launcher", "-f", "{connection_file}",
               "--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
"""How the kernel itself is started, inside or outside the sandbox."""


class SandboxUnavailable(UsageError):
    """Bubblewrap is missing: the command line says how to install it and exits with 2."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one learner kernel."""

    memory_bytes: int = 4 * 2**30
    """Address space of each process (NumPy and the kernel need about 1 GiB)."""
    processes: int = 64
    """Processes (threads count too) the kernel's user may add beyond those it has."""
    cpu_seconds: int = 600
    """CPU time of each process, whatever its cells."""
    file_bytes: int = 256 * 2**20
    """Largest file the kernel may write."""
    open_files: int = 256


DEFAULT_LIMITS = Limits()
"""The limits of a learner kernel unless the caller gives others."""


def check_available() -> str:
    """Return the path of ``bwrap``, or raise :class:`SandboxUnavailable` saying how to get it."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so learner notebooks cannot be sandboxed: "
            "install it (Debian/Ubuntu: `apt-get install bubblewrap`; `make test` does so as "
            "root), or grade with --no-sandbox only on a machine you do not mind learner code "
            "running on")
    return bwrap


def _user_processes() -> int:
    """How many processes this user runs now (RLIMIT_NPROC counts them all)."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                pass
    return count


def sandboxed_argv(*, scratch: Path, hidden: list[Path], limits: Limits) -> list[str]:
    """Return the kernel spec argv that starts ipykernel inside bubblewrap.

    Parameters
    ----------
    scratch : Path
        The notebook's own folder: its working directory and ``HOME``, the only
        writable place, also where the connection file and sockets live.
    hidden : list of Path
        Folders the kernel must not see (covered by empty tmpfs mounts).
    limits : Limits
        Resource limits.

    Returns
    -------
    argv : list of str
        With ``{connection_file}`` for jupyter_client to fill in.
    """
    bwrap = check_available()
    python_dirs = sorted({Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()})
    argv = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--clearenv"]
    system = Path("/usr")  # a folder above it (/, say, for a CSV written there) cannot be hidden
    for folder in sorted({*hidden, *_ALWAYS_HIDDEN, Path.home()}):
        if folder.is_dir() and folder not in system.parents:
            argv += ["--tmpfs", str(folder)]
    for folder in python_dirs:
        argv += ["--ro-bind", str(folder), str(folder)]
    argv += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch)]
    environment = {
        "HOME": str(scratch), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name, value in environment.items():
        argv += ["--setenv", name, value]
    nproc = _user_processes() + limits.processes
    argv += ["--", "prlimit", f"--as={limits.memory_bytes}", f"--nproc={nproc}",
             f"--cpu={limits.cpu_seconds}", f"--fsize={limits.file_bytes}",
             f"--nofile={limits.open_files}", "--core=0", "--",
             sys.executable, *KERNEL_ARGS]
    return argv
