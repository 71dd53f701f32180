"""Attacks on the sandbox's view of the host, each run in a real sandboxed kernel.

A learner's kernel must see an allow-list of the system: no ``/etc/shadow``, no
other checkout of the course, not the course's packages of the grader's own
environment, no variable or host folder of the grader in ``/proc``, and nothing
of another kernel running at the same time, whatever ``TMPDIR`` is.
"""

import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from autograder.kernel import Kernel
from autograder.limits import Limits
from autograder.sandbox import check_available, sandboxed_argv
from tests.sandbox_attacks import WRITES_HOST_SYSCTLS

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
LIMITS = Limits(memory_bytes=512 * 2**20, processes=48)


def run_in_kernel(scratch: Path, code: str, *, timeout: float = 20) -> tuple[str, str]:
    """Run ``code`` in a fresh sandboxed kernel; return its status and what it printed."""
    kernel = Kernel(scratch, sandbox=True, limits=LIMITS)
    try:
        assert kernel.alive
        result = kernel.run(code, timeout=timeout)
        return result.status, result.stdout
    finally:
        kernel.close()


def test_the_kernel_sees_a_generated_etc_and_no_shadow(tmp_path):
    status, out = run_in_kernel(tmp_path, (
        "import os, pwd\n"
        "print(sorted(os.listdir('/etc')))\n"
        "print([p.pw_name for p in pwd.getpwall()])\n"
        "print(os.path.exists('/etc/shadow'), os.path.exists('/work'))\n"
        f"home = {str(Path.home())!r}\n"
        "print(sorted(os.listdir(home)) if os.path.isdir(home) else [])\n"
        "print(sorted(os.listdir('/')))\n"))
    assert status == "ok", out
    etc, users, hidden, home, top = out.splitlines()
    assert "shadow" not in etc and "gshadow" not in etc
    assert users == "['learner']"
    assert hidden == "False False"
    # The grader's home shows only the folder its Python is installed in, if it is there.
    python = Path(sys.base_prefix).resolve()
    inside = [python.relative_to(Path.home()).parts[0]] if Path.home() in python.parents else []
    assert home == str(inside)
    assert "work" not in top and "opt" not in top and "srv" not in top


def test_another_checkout_of_the_course_cannot_be_read(tmp_path):
    elsewhere = Path("/opt") if os.access("/opt", os.W_OK) else Path.home()
    copy = elsewhere / f"course-copy-{uuid.uuid4().hex[:8]}"
    shutil.copytree(REPO / "solutions", copy / "solutions")
    try:
        status, out = run_in_kernel(tmp_path, (
            "import os, sys\n"
            f"sys.path.insert(0, {str(copy)!r}); sys.path.insert(0, {str(REPO)!r})\n"
            "for name in ('solutions', 'autograder'):\n"
            "    try:\n"
            "        __import__(name); print(name, 'imported')\n"
            "    except ImportError:\n"
            "        print(name, 'refused')\n"
            f"print(os.path.exists({str(copy / 'solutions' / 'regression.py')!r}))\n"
            f"print(os.path.exists({str(REPO / 'solutions')!r}))\n"))
    finally:
        shutil.rmtree(copy)
    assert status == "ok", out
    assert out.splitlines() == ["solutions refused", "autograder refused", "False", "False"]


def test_the_editable_install_points_nowhere(tmp_path):
    # The grader's own environment has the course installed in editable mode: inside,
    # the files that would name the repository read as empty.
    status, out = run_in_kernel(tmp_path, (
        "import glob, sys\n"
        "texts = [open(p, errors='replace').read() for pattern in ('*.pth', '__editable__*', "
        "'*.dist-info/direct_url.json') for p in glob.glob(sys.prefix + '/lib/*/site-packages/' "
        "+ pattern)]\n"
        "print(sys.prefix); print(repr(''.join(texts)))\n"))
    assert status == "ok", out
    prefix, texts = out.splitlines()
    assert prefix == "/venv"
    assert str(REPO) not in texts


def test_no_secret_and_no_host_folder_is_visible_in_proc(tmp_path, monkeypatch):
    token = f"secret-{uuid.uuid4().hex}"
    monkeypatch.setenv("GRADER_API_TOKEN", token)
    outputs = tmp_path / "instructor-output-folder"
    outputs.mkdir()
    monkeypatch.chdir(outputs)  # the grader's working folder
    status, out = run_in_kernel(outputs / "scratch", (
        "import glob, os\n"
        "seen = []\n"
        "for pattern in ('/proc/*/environ', '/proc/*/cmdline', '/proc/self/mountinfo', "
        "'/proc/*/cwd'):\n"
        "    for path in glob.glob(pattern):\n"
        "        try:\n"
        "            seen.append(os.readlink(path) if path.endswith('cwd') else "
        "open(path, 'rb').read().decode('utf-8', 'replace'))\n"
        "        except OSError:\n"
        "            pass\n"
        "seen.append(repr(dict(os.environ)))\n"
        "print('\\n'.join(seen))\n"))
    assert status == "ok"
    assert token not in out
    assert str(tmp_path) not in out
    # The interpreter's folders are bound from where they are installed (mountinfo names
    # a mount's source): here the virtual environment in the repository, nothing else of it.
    assert str(REPO) not in out.replace(str(Path(sys.prefix).resolve()), "/venv")


def test_two_kernels_with_a_long_tmpdir_cannot_reach_each_other(tmp_path, monkeypatch):
    tmpdir = tmp_path / ("d" * 100) / ("e" * 100)
    tmpdir.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", None)
    victim = Kernel(tmp_path / "victim", sandbox=True, limits=LIMITS)
    attacker = Kernel(tmp_path / "attacker", sandbox=True, limits=LIMITS)
    try:
        assert victim.alive and attacker.alive  # sockets on a short path, whatever TMPDIR is
        target = Path(victim._km.connection_file)
        info = json.loads(target.read_text())
        socket_path = f"{info['ip']}-{info['shell_port']}"
        attack = attacker.run(
            "import glob, os, socket\n"
            f"print([p for pattern in ('/tmp/**', '/dev/shm/**', {str(tmpdir)!r} + '/**', "
            f"{str(target.parent.parent)!r} + '/**') for p in glob.glob(pattern, recursive=True)"
            f" if os.path.exists(p) and ({target.parent.parent.name!r} in p or 'connection' in p"
            " and p != open('/proc/self/cmdline').read().split('\\0')[-4])])\n"
            "try:\n"
            f"    open({str(target)!r}).read(); print('read')\n"
            "except OSError:\n"
            "    print('no file')\n"
            "try:\n"
            f"    socket.socket(socket.AF_UNIX).connect({socket_path!r}); print('connected')\n"
            "except OSError:\n"
            "    print('no socket')\n", timeout=20)
        assert attack.status == "ok", attack
        assert attack.stdout.splitlines() == ["[]", "no file", "no socket"]
        assert victim.run("print(6 * 7)", timeout=10).stdout == "42\n"
    finally:
        victim.close()
        attacker.close()


def test_private_folders_are_private_and_removed(tmp_path):
    kernel = Kernel(tmp_path, sandbox=True, limits=LIMITS)
    folder = Path(kernel._km.connection_file).parent.parent
    try:
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
        assert len(str(folder)) < 40
    finally:
        kernel.close()
    assert not folder.exists()


def test_a_hidden_folder_inside_what_the_kernel_is_shown_is_refused(tmp_path):
    from autograder.errors import UsageError
    from autograder.limits import Confinement

    (tmp_path / "c").mkdir()
    connection, confinement = tmp_path / "c" / "connection.json", Confinement(LIMITS)
    try:
        sandboxed_argv(folder=tmp_path, connection_file=connection, hidden=[REPO],
                       confinement=confinement)  # the repository holds the venv: fine
        inside = Path(sys.prefix).resolve() / "lib" / "grades"
        with pytest.raises(UsageError, match="lies in the Python installation they are shown"):
            sandboxed_argv(folder=tmp_path, connection_file=connection, hidden=[inside],
                           confinement=confinement)
    finally:
        confinement.close()


def test_bubblewrap_starts_with_an_empty_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_API_TOKEN", "x")
    status, out = run_in_kernel(tmp_path, (
        "print(repr(open('/proc/1/environ').read()))\n"
        "print(open('/proc/1/cmdline').read().split('\\0')[:4])\n"))
    assert status == "ok"
    environ, cmdline = out.splitlines()
    assert environ == "''"
    assert cmdline == str([check_available(), "--args", "3", "--"])


def test_the_kernel_cannot_make_a_user_namespace(tmp_path):
    # Inside one of its own a process holds every capability again: the way into most
    # of the Linux kernel's code that an unprivileged process cannot reach (nf_tables...).
    status, out = run_in_kernel(tmp_path, (
        "import subprocess, sys\n"
        "print(subprocess.run([sys.executable, '-c', 'import ctypes; "
        "libc = ctypes.CDLL(None, use_errno=True); "
        "print(libc.unshare(0x10000000), ctypes.get_errno())'],\n"  # CLONE_NEWUSER
        "      capture_output=True, text=True).stdout)\n"))
    assert status == "ok", out
    assert out.split()[0] == "-1", out


def test_the_kernel_cannot_write_the_hosts_kernel_settings(tmp_path):
    status, out = run_in_kernel(tmp_path, WRITES_HOST_SYSCTLS)
    assert status == "ok", out
    assert out == "[]\n"
