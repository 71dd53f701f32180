"""The learner's kernel in a sandbox: bubblewrap shows it an allow-list of the system.

Each notebook gets its own kernel and its own private folder (:func:`private_folder`,
mode 0700, on a short path whatever ``TMPDIR`` is). Under :func:`sandboxed_argv`
the kernel sees

* read-only: the system's programs and libraries (``/usr/bin``, ``/usr/lib``,
  ``/usr/lib64``, time zones and fonts), the Python installation that runs it (a
  virtual environment shows only its ``lib`` folder, at ``/venv``; editable installs,
  ``.pth`` files naming folders and ``direct_url.json`` files read as empty, so the
  course's own packages cannot be imported), and a generated ``/etc`` (one user,
  ``learner``; no ``shadow``, no host accounts);
* read-write: fresh in-memory folders for its home ``/home/learner``, ``/tmp`` and
  ``/dev/shm`` (each at most the memory limit in size, where bubblewrap can say so),
  and its connection folder in its private folder (the sockets it talks to the
  grader through);
* nothing else of the host: no repository, no submissions, no output, no other
  kernel's folder, no home folder of anyone;
* no network (a new network namespace), its own processes only (a new process
  namespace: every process it starts ends when it ends), no capabilities and no
  user namespace of its own to regain them in (bubblewrap 0.8 or later), the
  kernel's settings (``/proc/sys``) read-only, and an
  empty environment: bubblewrap itself is started by ``env -i`` and reads its
  arguments from a file, so ``/proc/1/environ`` is empty and ``/proc/1/cmdline``
  names no host folder.

The limits on memory, processes and the rest are :mod:`autograder.limits`'.
Bubblewrap comes from Debian's package ``bubblewrap`` (``make`` installs it
when it runs as root; see the README otherwise).
"""

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from functools import cache
from pathlib import Path

from autograder.errors import UsageError
from autograder.limits import DEFAULT_LIMITS, Confinement, Limits

__all__ = ["DEFAULT_LIMITS", "HOME", "KERNEL_ARGS", "Limits", "SandboxUnavailable",
           "check_available", "private_folder", "sandboxed_argv"]

KERNEL_ARGS = ["-m", "ipykernel_launcher", "-f", "{connection_file}",
               "--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
"""How the kernel itself is started, inside or outside the sandbox."""
HOME = "/home/learner"
"""The kernel's home and working folder inside the sandbox."""
VENV = "/venv"
"""Where a virtual environment's ``lib`` folder is shown inside the sandbox."""
_SYSTEM = ("/usr/bin", "/usr/lib", "/usr/lib64", "/usr/share/zoneinfo", "/usr/share/fonts")
"""The system folders the kernel may read (those that exist)."""
_MERGED = {"/bin": "usr/bin", "/lib": "usr/lib", "/lib64": "usr/lib64"}
"""Top-level folders that are links into ``/usr`` on merged-``/usr`` systems."""
_SHORT_BASES = ("/dev/shm", "/tmp")
"""Where private folders go (in memory first), so socket paths stay short."""
_MAX_BASE = 40
"""Longest base folder for the sockets (a Unix socket path has at most 107 bytes)."""
_ETC = {
    "passwd": "learner:x:1000:1000:learner:/home/learner:/bin/sh\n",
    "group": "learner:x:1000:\n",
    "hosts": "127.0.0.1 localhost\n::1 localhost\n",
    "nsswitch.conf": "passwd: files\ngroup: files\nhosts: files\n",
}
"""The generated ``/etc``."""
_ENVIRONMENT = {
    "HOME": HOME, "USER": "learner", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
    "MPLCONFIGDIR": f"{HOME}/.matplotlib", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1", "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
}
"""The kernel's whole environment (``PATH`` is added)."""


class SandboxUnavailable(UsageError):
    """Bubblewrap is missing: the command line says how to install it and exits with 2."""


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


def private_folder() -> Path:
    """Make and return a new folder only this user can enter, on a short path.

    In ``/dev/shm`` where it is writable (in memory: what a sandboxed kernel writes there
    counts against its memory), else ``/tmp``, else ``TMPDIR`` if its path is short
    enough for Unix sockets.
    """
    bases = [*_SHORT_BASES, tempfile.gettempdir()]
    for base in bases:
        if len(base) <= _MAX_BASE and os.access(base, os.W_OK | os.X_OK):
            return Path(tempfile.mkdtemp(prefix="agk-", dir=base))  # mode 0700
    raise UsageError(f"no writable folder with a short path for the kernels' sockets: tried "
                     f"{', '.join(bases)}")


@cache
def _supports(bwrap: str, option: str) -> bool:
    """Whether this bubblewrap has ``option`` (``--disable-userns`` since 0.8, ``--size`` 0.10)."""
    done = subprocess.run([bwrap, "--help"], capture_output=True, text=True, check=False)
    return option in done.stdout + done.stderr


def _is_within(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def _interpreter(binds: list[tuple[str, str]], masks: list[str], system: Path) -> str:
    """Add the Python installation's folders to ``binds``; return the interpreter's path inside.

    A virtual environment is shown at :data:`VENV`: its ``lib`` folder, a link to the
    base interpreter and a ``pyvenv.cfg`` of its own. Files that would point the
    kernel back to folders outside (editable installs, ``.pth`` files naming folders,
    ``direct_url.json``) are listed in ``masks`` (shown empty). The virtual
    environment's ``pyvenv.cfg`` is written into ``system``.
    """
    executable = Path(sys.executable).resolve()
    base = Path(sys.base_prefix).resolve()
    for folder in (base / "lib", executable.parent):
        binds.append((str(folder), str(folder)))
    prefix = Path(sys.prefix).resolve()
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    python, inside = str(executable), str(site)
    if prefix != base:
        binds.append((str(prefix / "lib"), f"{VENV}/lib"))
        config = system / "pyvenv.cfg"
        config.write_text(f"home = {executable.parent}\ninclude-system-site-packages = false\n"
                          f"version = {sys.version.split()[0]}\n", encoding="utf-8")
        binds.append((str(config), f"{VENV}/pyvenv.cfg"))
        python, inside = f"{VENV}/bin/python", f"{VENV}/lib/{site.relative_to(prefix / 'lib')}"
    for path in sorted(site.iterdir()):
        if (path.name.startswith("__editable__") or path.suffix == ".egg-link"
                or (path.suffix == ".pth" and _names_a_folder(path))):
            masks.append(f"{inside}/{path.name}")
    for record in sorted(site.glob("*.dist-info/direct_url.json")):
        masks.append(f"{inside}/{record.relative_to(site).as_posix()}")
    return python


def _names_a_folder(pth: Path) -> bool:
    """Whether a ``.pth`` file has a line that is an absolute path (not an ``import`` line)."""
    try:
        lines = pth.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return True
    return any(line.strip().startswith("/") for line in lines)


def sandboxed_argv(*, folder: Path, connection_file: Path, hidden: list[Path],
                   confinement: Confinement) -> list[str]:
    """Return the kernel spec argv that starts ipykernel inside bubblewrap.

    Writes the sandbox's ``/etc``, its argument file and (for a virtual environment)
    its ``pyvenv.cfg`` into ``folder``.

    Parameters
    ----------
    folder : Path
        The kernel's private folder (:func:`private_folder`), with the folder of
        ``connection_file`` in it (shown at its own path, so that the grader and the
        kernel name the sockets alike) and maybe a folder ``matplotlib`` of cache files
        (shown read-only in the kernel's Matplotlib folder, so that import is fast).
    connection_file : Path
        Where jupyter_client writes the connection file.
    hidden : list of Path
        Folders the kernel must not see: refused if one lies in a folder it is shown.
    confinement : Confinement
        The kernel's limits.

    Returns
    -------
    argv : list of str
        ``env -i sh -c ...``: the shell joins the kernel's groups, then becomes
        bubblewrap, which reads its arguments from a file.

    Raises
    ------
    UsageError
        When a hidden folder lies in the Python installation.
    """
    bwrap = check_available()
    system = folder / "system"
    system.mkdir(exist_ok=True)
    binds, masks = [], []
    python = _interpreter(binds, masks, system)
    exposed = [Path(source) for source, _ in binds]
    for folder in (h.resolve() for h in hidden):
        if _is_within(folder, exposed):
            raise UsageError(f"{folder} must not be seen by learners' kernels, but it lies in "
                             f"the Python installation they are shown ({sys.prefix}): keep "
                             "submissions and outputs out of it")
    args = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", "1000", "--gid", "1000", "--clearenv"]
    if _supports(bwrap, "--disable-userns"):
        args += ["--unshare-user", "--disable-userns"]
    for path in _SYSTEM:
        if Path(path).is_dir():
            args += ["--ro-bind", path, path]
    for top, target in _MERGED.items():
        if Path(top).is_symlink():
            args += ["--symlink", target, top]
        elif Path(top).is_dir():
            args += ["--ro-bind", top, top]
    for name, text in _ETC.items():
        (system / name).write_text(text, encoding="utf-8")
        args += ["--ro-bind", str(system / name), f"/etc/{name}"]
    args += ["--symlink", "/usr/share/zoneinfo/Etc/UTC", "/etc/localtime"]
    if Path("/etc/ld.so.cache").is_file():
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for source, target in binds:
        if not any(source == p or source.startswith(p + "/") for p in _SYSTEM):
            args += ["--ro-bind", source, target]
    if python.startswith(VENV):
        args += ["--symlink", str(Path(sys.executable).resolve()), python]
    empty = system / "empty"
    empty.touch()
    for target in masks:
        args += ["--ro-bind", str(empty), target]
    connections = str(connection_file.parent)
    # Read-only kernel settings: under cgroups a root grader's kernel is root to them.
    args += ["--dev", "/dev", "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys"]
    size = ["--size", str(confinement.limits.memory_bytes)] if _supports(bwrap, "--size") else []
    for place in ("/tmp", "/dev/shm", HOME):
        args += [*size, "--tmpfs", place]
    args += ["--bind", connections, connections]  # after the tmpfs, which would cover it
    for cached in sorted((folder / "matplotlib").glob("*")):
        args += ["--ro-bind", str(cached), f"{HOME}/.matplotlib/{cached.name}"]
    args += ["--chdir", HOME]
    for name, value in {**_ENVIRONMENT, "PATH": f"{Path(python).parent}:/usr/bin:/bin"}.items():
        args += ["--setenv", name, value]
    command = ["prlimit", *confinement.rlimits(), "--", python,
               *(str(connection_file) if a == "{connection_file}" else a for a in KERNEL_ARGS)]
    arguments = system / "bwrap.args"
    arguments.write_bytes(b"".join(a.encode() + b"\0" for a in args))
    if confinement.uid != os.getuid():
        for path in (folder, *folder.rglob("*")):
            os.chown(path, confinement.uid, confinement.uid)
    start = shlex.join([*confinement.prefix(), bwrap, "--args", "3", "--", *command])
    script = (f"unset PWD OLDPWD\n{confinement.join_script()}"
              f"exec {start} 3< {shlex.quote(str(arguments))}\n")
    return [shutil.which("env") or "/usr/bin/env", "-i", "/bin/sh", "-c", script]
