"""How notebooks are executed: the one place that chooses and configures the kernel.

Both the learner's self-check (nbclient) and batch grading (nbgrader's
``Execute`` preprocessor, a subclass of nbclient's) take their settings from
:func:`execution_settings`; a sandboxed kernel (bubblewrap, rlimits) is a
change to this module only.
"""

__all__ = ["DEFAULT_TIMEOUT", "TIMEOUT_ERRORS", "execution_settings"]

DEFAULT_TIMEOUT = 60
"""Seconds one cell may run before it is interrupted."""

TIMEOUT_ERRORS = frozenset({"CellTimeoutError", "KeyboardInterrupt"})
"""Error names a cell shows after the time-out interrupted it."""

# Imported at kernel start, before any learner code: autograder.checks records
# NumPy's functions then, so hidden tests notice when a notebook replaces one.
_STARTUP = "import autograder.checks; del autograder"


def execution_settings(*, timeout: int = DEFAULT_TIMEOUT) -> dict[str, object]:
    """Return the settings for ``nbclient.NotebookClient`` and nbgrader's ``Execute``.

    Parameters
    ----------
    timeout : int, default DEFAULT_TIMEOUT
        Seconds one cell may run; then the kernel is interrupted and the
        notebook goes on with the next cell.

    Returns
    -------
    settings : dict
        Trait names and values understood by both classes.
    """
    return {
        "kernel_name": "python3",
        "timeout": timeout,
        "interrupt_on_timeout": True,
        "allow_errors": True,
        "extra_arguments": [
            "--HistoryManager.hist_file=:memory:",
            "--IPKernelApp.log_level=ERROR",  # not its TCP notice on every start
            f"--IPKernelApp.exec_lines={_STARTUP}",
        ],
    }
