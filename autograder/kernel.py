"""Starting a learner's kernel and running code in it, with time limits that always hold.

One :class:`Kernel` per notebook. :meth:`Kernel.run` executes one cell and
returns what happened (ok, error, timed out, killed, kernel died) and the text
it printed on stdout. A cell that overruns its time is interrupted; a cell that
ignores the interrupt (it swallows ``KeyboardInterrupt``) is killed with the
kernel and every process the kernel started.
"""

import json
import os
import queue
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from autograder.sandbox import DEFAULT_LIMITS, KERNEL_ARGS, Limits, sandboxed_argv

__all__ = ["DEFAULT_TIMEOUT", "NOTEBOOK_TIMEOUT", "CellResult", "Kernel"]

DEFAULT_TIMEOUT = 60
"""Seconds one cell may run before it is interrupted."""
NOTEBOOK_TIMEOUT = 600
"""Seconds one notebook may run in all, its graded calls included."""
_GRACE = 3.0
"""Seconds a cell gets to stop after the interrupt before the kernel is killed."""
_MAX_TEXT = 16 * 2**20
"""Characters of stdout kept per cell (the rest is counted, not stored)."""


@dataclass
class CellResult:
    """What running one cell did."""

    status: str
    """``"ok"``, ``"error"``, ``"timeout"`` (interrupted), ``"killed"`` (ignored the
    interrupt) or ``"dead"`` (the kernel died, e.g. ``os._exit``)."""
    stdout: str = ""
    error: str = ""
    """``Name: message`` of the exception the cell raised."""


def _spec_folder(scratch: Path, argv: list[str]) -> KernelSpecManager:
    """Write a kernel spec whose interrupts travel as messages (signals do not cross bwrap)."""
    folder = scratch.parent / (scratch.name + "-kernelspec")
    (folder / "learner").mkdir(parents=True, exist_ok=True)
    spec = {"argv": argv, "display_name": "learner", "language": "python",
            "interrupt_mode": "message"}
    (folder / "learner" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)


class Kernel:
    """A learner kernel in its own scratch folder, sandboxed unless ``sandbox`` is False.

    Parameters
    ----------
    scratch : Path
        An empty folder for this notebook (working directory, ``HOME``, sockets).
    sandbox : bool
        Run under bubblewrap (see :mod:`autograder.sandbox`).
    hidden : list of Path
        Folders the sandboxed kernel must not see.
    limits : Limits
        Resource limits in the sandbox.
    """

    def __init__(self, scratch: Path, *, sandbox: bool, hidden: list[Path] = (),
                 limits: Limits = DEFAULT_LIMITS):
        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        _warm_matplotlib(scratch)
        argv = (sandboxed_argv(scratch=scratch, hidden=list(hidden), limits=limits) if sandbox
                else [sys.executable, *KERNEL_ARGS])
        self._km = KernelManager(kernel_name="learner",
                                 kernel_spec_manager=_spec_folder(scratch, argv))
        self._km.transport = "ipc"
        self._km.ip = str(scratch / "kernel")
        self._km.connection_file = str(scratch / "connection.json")
        env = {"MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"}
        self._km.start_kernel(cwd=str(scratch), env={**_base_env(), **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._kc = self._km.blocking_client()
        self._kc.start_channels()
        self.alive = True
        try:
            self._kc.wait_for_ready(timeout=60)
        except RuntimeError:
            self.alive = False

    def run(self, code: str, *, timeout: float) -> CellResult:
        """Execute ``code`` as one cell; never waits much longer than ``timeout`` seconds."""
        if not self.alive:
            return CellResult("dead")
        msg_id = self._kc.execute(code, store_history=False, allow_stdin=False,
                                  stop_on_error=False)
        deadline, interrupted = time.monotonic() + max(timeout, 0.1), False
        chunks, size, error = [], 0, ""
        while True:
            try:
                msg = self._kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if not self._km.is_alive():
                    self.alive = False
                    return CellResult("dead", "".join(chunks), error)
                now = time.monotonic()
                if now > deadline and not interrupted:
                    self._km.interrupt_kernel()
                    interrupted, deadline = True, now + _GRACE
                elif now > deadline:
                    self.close()
                    return CellResult("killed", "".join(chunks), error)
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout" and size < _MAX_TEXT:
                chunks.append(content["text"][:_MAX_TEXT - size])
                size += len(chunks[-1])
            elif kind == "error":
                error = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:500]
            elif kind == "status" and content.get("execution_state") == "idle":
                status = "timeout" if interrupted else "error" if error else "ok"
                return CellResult(status, "".join(chunks), error)

    def close(self) -> None:
        """Stop the kernel (and, in the sandbox, every process it started)."""
        if getattr(self, "_kc", None) is not None:
            self._kc.stop_channels()
        if self._km.has_kernel:
            self._km.shutdown_kernel(now=True)
        self.alive = False
        shutil.rmtree(self.scratch.parent / (self.scratch.name + "-kernelspec"),
                      ignore_errors=True)


def _base_env() -> dict[str, str]:
    """Return the grader's environment for an unsandboxed kernel, without Jupyter's parent pid."""
    return {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"}


def _warm_matplotlib(scratch: Path) -> None:
    """Copy Matplotlib's font list into the kernel's config folder, so import is fast."""
    try:
        import matplotlib
    except ImportError:
        return
    target = scratch / ".matplotlib"
    target.mkdir(exist_ok=True)
    for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
        shutil.copy2(cache, target / cache.name)
