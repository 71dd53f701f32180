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

SENDS_MALFORMED_MESSAGES = (
    "import json, time\n"
    "_k = get_ipython().kernel\n"
    "_s, _parent = _k.session, _k.get_parent()\n"
    "for _kind, _content in [('stream', {'name': 'stdout', 'text': 5}),\n"
    "                        ('stream', {'name': 'stdout', 'text': ['a']}),\n"
    "                        ('error', {'ename': 'E', 'evalue': 'v', 'traceback': 7}),\n"
    "                        ('display_data', {'data': [1]}),\n"
    "                        ('execute_result', {'data': {'text/plain': None}})]:\n"
    "    _s.send(_k.iopub_socket, _kind, content=_content, parent=_parent)\n"
    "_header = json.dumps(['not', 'a', 'dict']).encode()\n"
    "_frames = [_header, _s.pack(_parent['header']), b'{}', b'{}']\n"
    "for _raw in ([b'<IDS|MSG>', b'bad signature', *_frames], [b'<IDS|MSG>', b'x'],\n"
    "             [b'<IDS|MSG>', _s.sign(_frames), *_frames]):\n"
    "    _k.iopub_socket.send_multipart(_raw)\n"
    "time.sleep(0.5)\n")
"""The learner's code holds its kernel's signing key: it sends iopub messages of the wrong
shape, with a bad signature, too few frames, and a validly signed header that is no dict."""

WRITES_HOST_SYSCTLS = (
    "_written = []\n"
    "for _path in ('/proc/sys/vm/swappiness', '/proc/sys/kernel/core_pattern'):\n"
    "    try:\n"
    "        _value = open(_path).read()\n"
    "        with open(_path, 'w') as _file:\n"
    "            _file.write(_value)\n"
    "        _written.append(_path)\n"
    "    except OSError:\n"
    "        pass\n"
    "print(_written)\n")
"""Writes host-wide kernel settings back with the value they have (harmless if it works):
one who may write ``kernel.core_pattern`` has a program of theirs run as root on a crash."""
