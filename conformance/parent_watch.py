"""Stop this service's whole process group when xtask goes away.

xtask starts every service with a pipe on stdin and in a process group of its
own. When xtask exits, however it exits, the pipe closes; this thread sees
end-of-file and sends SIGTERM to the group, then SIGKILL if it is still
alive after a grace period.
"""

import os
import signal
import sys
import threading
import time

GRACE_SECONDS = 5


def _watch():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    group = os.getpgrp()
    try:
        os.killpg(group, signal.SIGTERM)
        time.sleep(GRACE_SECONDS)
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start():
    """Starts the watcher thread (a daemon: it never keeps the process up)."""
    threading.Thread(target=_watch, name="parent-watch", daemon=True).start()
