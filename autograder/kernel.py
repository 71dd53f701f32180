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

import zmq
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from autograder.limits import Confinement
from autograder.sandbox import (
    DEFAULT_LIMITS,
    KERNEL_ARGS,
    Limits,
    private_folder,
    sandboxed_argv,
)

__all__ = ["DEFAULT_TIMEOUT", "NOTEBOOK_TIMEOUT", "CellResult", "Kernel"]

DEFAULT_TIMEOUT = 60
"""Seconds one cell may run before it is interrupted."""
NOTEBOOK_TIMEOUT = 600
"""Seconds one notebook may run in all, its graded calls included."""
_GRACE = 3.0
"""Seconds a cell gets to stop after the interrupt before the kernel is killed."""
_MAX_TEXT = 16 * 2**20
"""Characters of stdout kept per cell (the rest is counted, not stored)."""
_QUEUED_MESSAGES = 2
"""Kernel messages the grader's socket holds before the kernel's side waits: with the
largest message size (the cell's output limit), this bounds the grader's memory."""


@dataclass
class CellResult:
    """What running one cell did."""

    status: str
    """``"ok"``, ``"error"``, ``"timeout"`` (interrupted), ``"killed"`` (ignored the
    interrupt), ``"flooded"`` (printed more than the output limit; killed) or ``"dead"``
    (the kernel died, e.g. ``os._exit``, or ran out of memory)."""
    stdout: str = ""
    error: str = ""
    """``Name: message`` of the exception the cell raised."""


def _spec_folder(folder: Path, argv: list[str]) -> KernelSpecManager:
    """Write a kernel spec whose interrupts travel as messages (signals do not cross bwrap)."""
    (folder / "learner").mkdir(parents=True, exist_ok=True)
    spec = {"argv": argv, "display_name": "learner", "language": "python",
            "interrupt_mode": "message"}
    (folder / "learner" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)


def _well_formed(msg: dict) -> bool:
    """Whether the fields of a kernel message that the grader reads have the types it expects.

    The learner's code holds its kernel's signing key, so it can send any message: one
    of another shape is dropped, as one that is badly signed or framed is, unread.
    """
    content, parent = msg.get("content"), msg.get("parent_header")
    if not (isinstance(content, dict) and isinstance(parent, dict)):
        return False
    traceback, data = content.get("traceback", []), content.get("data", {})
    return (all(isinstance(content.get(key, ""), str)
                for key in ("name", "text", "ename", "evalue", "execution_state"))
            and isinstance(traceback, list) and all(isinstance(line, str) for line in traceback)
            and isinstance(data, dict))


def _output_size(kind: str, content: dict) -> int:
    """Characters a stream, display, result or error message carries."""
    if kind == "stream":
        return len(content.get("text", ""))
    if kind == "error":
        return sum(map(len, content.get("traceback", []))) + len(content.get("evalue", ""))
    return sum(len(str(value)) for value in content.get("data", {}).values())


class Kernel:
    """A learner kernel with a private folder of its own, sandboxed unless ``sandbox`` is False.

    Parameters
    ----------
    scratch : Path
        An empty folder: the working directory of an unsandboxed kernel (a sandboxed
        one works in its home inside the sandbox).
    sandbox : bool
        Run under bubblewrap (see :mod:`autograder.sandbox`) with the limits held by
        :mod:`autograder.limits`.
    hidden : list of Path
        Folders the sandboxed kernel must not see (the sandbox shows none of the
        host's folders but the system's and Python's; one inside those is refused).
    limits : Limits
        Resource limits in the sandbox; the output limits hold in both cases.
    """

    def __init__(self, scratch: Path, *, sandbox: bool, hidden: list[Path] = (),
                 limits: Limits = DEFAULT_LIMITS):
        self.scratch, self.limits, self.printed = scratch, limits, 0
        scratch.mkdir(parents=True, exist_ok=True)
        self._private = private_folder()
        self._confinement = Confinement(limits) if sandbox else None
        self._kc = self._dropped = None
        self._km = KernelManager(kernel_name="learner")
        try:
            self._start(sandbox, list(hidden))
        except BaseException:
            self.close()
            raise
        self.alive = True
        try:
            self._kc.wait_for_ready(timeout=60)
        except RuntimeError:
            self.alive = False

    def _start(self, sandbox: bool, hidden: list[Path]) -> None:
        """Write the connection file and kernel spec, start the kernel, connect to it."""
        connections = self._private / "c"
        connections.mkdir(mode=0o700)
        _warm_matplotlib(self._private / "matplotlib" if sandbox else self.scratch / ".matplotlib")
        self._km.transport = "ipc"
        self._km.ip = str(connections / "k")
        self._km.connection_file = str(connections / "connection.json")
        self._km.write_connection_file()
        argv = [sys.executable, *KERNEL_ARGS]
        if sandbox:
            argv = sandboxed_argv(folder=self._private, connection_file=connections /
                                  "connection.json", hidden=hidden,
                                  confinement=self._confinement)
        self._km.kernel_spec_manager = _spec_folder(self._private / "spec", argv)
        env = {"MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"}
        self._km.start_kernel(cwd=str(self.scratch), env={**_base_env(), **env},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._context = zmq.Context()
        self._context.setsockopt(zmq.MAXMSGSIZE, self.limits.output_bytes + 2**20)
        self._context.setsockopt(zmq.RCVHWM, _QUEUED_MESSAGES)
        self._kc = self._km.client(context=self._context)
        self._kc.start_channels()
        self._dropped = self._kc.iopub_channel.socket.get_monitor_socket(
            zmq.EVENT_DISCONNECTED)

    def _flooded(self, size: int) -> bool:
        """Whether the cell's ``size`` characters, or a message too large to take, are too much."""
        if self._dropped.poll(0):  # a message over the size limit, or the kernel ended
            self._dropped.recv_multipart()
            time.sleep(0.2)
            return self._km.is_alive()
        return (size > self.limits.output_bytes
                or self.printed + size > self.limits.notebook_output_bytes)

    def run(self, code: str, *, timeout: float) -> CellResult:
        """Execute ``code`` as one cell; never waits much longer than ``timeout`` seconds."""
        if not self.alive:
            return CellResult("dead")
        msg_id = self._kc.execute(code, store_history=False, allow_stdin=False,
                                  stop_on_error=False)
        deadline, interrupted = time.monotonic() + max(timeout, 0.1), False
        chunks, kept, size, error = [], 0, 0, ""
        while True:
            now = time.monotonic()
            if now > deadline and not interrupted:
                self._km.interrupt_kernel()
                interrupted, deadline = True, now + _GRACE
            elif now > deadline:
                self.close()
                return CellResult("killed", "".join(chunks), error)
            if self._flooded(size):
                self.close()
                return CellResult("flooded", "".join(chunks), error)
            try:
                msg = self._kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if not self._km.is_alive():
                    self.close()
                    return CellResult("dead", "".join(chunks), error)
                continue
            except (ValueError, TypeError, KeyError):  # badly signed or framed: dropped
                continue
            if not _well_formed(msg) or msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind in ("stream", "display_data", "execute_result", "error"):
                size += _output_size(kind, content)
            if kind == "stream" and content.get("name") == "stdout" and kept < _MAX_TEXT:
                chunks.append(content["text"][:_MAX_TEXT - kept])
                kept += len(chunks[-1])
            elif kind == "error":
                error = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:500]
            elif kind == "status" and content.get("execution_state") == "idle":
                self.printed += size
                status = "timeout" if interrupted else "error" if error else "ok"
                return CellResult(status, "".join(chunks), error)

    def close(self) -> None:
        """Stop the kernel (and, in the sandbox, every process it started); remove its files."""
        if self._dropped is not None:
            self._dropped.close(linger=0)
            self._dropped = None
        if self._kc is not None:
            self._kc.stop_channels()
            self._context.destroy(linger=0)
            self._kc = None
        if self._km.has_kernel:
            self._km.shutdown_kernel(now=True)
        if self._confinement is not None:
            self._confinement.close()
        self.alive = False
        shutil.rmtree(self._private, ignore_errors=True)


def _base_env() -> dict[str, str]:
    """Return the grader's environment for an unsandboxed kernel, without Jupyter's parent pid."""
    return {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"}


def _warm_matplotlib(target: Path) -> None:
    """Copy Matplotlib's font list into ``target`` (the kernel's config), so import is fast."""
    try:
        import matplotlib
    except ImportError:
        return
    target.mkdir(exist_ok=True)
    for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
        shutil.copy2(cache, target / cache.name)
