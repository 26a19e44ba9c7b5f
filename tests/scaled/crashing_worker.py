"""A Celery worker that dies (SIGKILL-like ``os._exit``) in the middle of writing one output file.

Started by the fault tests instead of the plain worker: the first time a media key matching
CRASH_KEY_RE is written, half of its bytes go into the temporary file and the process exits —
the hub PC losing power mid-job. Test code only; the studio itself is unchanged.
"""
import os
import re
import sys
from pathlib import Path

from studio import media

PATTERN = re.compile(os.environ["CRASH_KEY_RE"])
MARKER = Path(os.environ["CRASH_MARKER"])
_put = media.MediaStore.put


def crashing_put(self, key, data):
    if PATTERN.search(key) and not MARKER.exists():
        MARKER.write_text(key)
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / f".tmp-crash-{os.getpid()}", "wb") as f:
            f.write(data[: len(data) // 2])
            f.flush()
        os._exit(137)
    return _put(self, key, data)


media.MediaStore.put = crashing_put

if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    main()
