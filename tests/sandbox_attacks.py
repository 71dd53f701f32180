"""Cells that attack the sandbox's limits, shared by the kernel-level and the grading tests."""

IGNORES_INTERRUPT_WHILE_PRINTING = (
    "import threading, time\n"
    "def chatter():\n"
    "    while True:\n"
    "        print('still here', flush=True); time.sleep(0.01)\n"
    "for _ in range(4):\n"
    "    threading.Thread(target=chatter, daemon=True).start()\n"
    "while True:\n"
    "    try:\n"
    "        time.sleep(0.05)\n"
    "    except KeyboardInterrupt:\n"
    "        pass\n")
"""Four threads print while the main thread swallows every interrupt."""


def starts_processes(count: int, mark: str) -> str:
    """A cell that tries to start ``count`` processes named ``sleep 7<mark>``, prints how many."""
    return ("import subprocess\n"
            "started = 0\n"
            f"for _ in range({count}):\n"
            "    try:\n"
            f"        subprocess.Popen(['sleep', '7{mark}']); started += 1\n"
            "    except OSError:\n"
            "        pass\n"
            "print(started)\n")
