"""The kernel-side snooper the sandbox tests run: what a student's code could read from inside its
kernel.
"""

from __future__ import annotations

# The kernel-side snooper: everything it learns comes back as JSON on stdout (direct kernel test)
# or through the graded function (graded tests). The marker is split so that this source, if it
# were readable somewhere, would not count as a find.
SNOOP = r'''
import json as _json, os as _os, socket as _socket

def _snoop(host_paths, port):
    marker = b"CONVLAB-" + b"CANARY"
    seen = {"root": sorted(_os.listdir("/")), "exists": {}, "found": {}, "net": "", "writes": {}, "read": 0}
    for p in host_paths:
        seen["exists"][p] = _os.path.exists(p)
    tops = ["/" + t for t in _os.listdir("/") if t not in ("proc", "sys", "usr", "opt", "dev")] + ["/dev/shm"]
    for top in tops:
        for root, dirs, files in _os.walk(top):
            for name in files:
                path = _os.path.join(root, name)
                try:
                    with open(path, "rb") as fh:
                        data = fh.read(1 << 20)
                except OSError:
                    continue
                seen["read"] += 1
                if marker in data or b"def conv1d" in data:
                    seen["found"][path] = data.decode(errors="replace")[:4000]
    try:
        with _socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            seen["net"] = s.recv(300).decode(errors="replace")
    except OSError as exc:
        seen["net"] = type(exc).__name__
    for p in ["/x", "/usr/x", "/etc/x", "/opt/venv/x", "/opt/python/x", "/tmp/x", "/dev/shm/x", "x"]:
        try:
            with open(p, "w") as fh:
                fh.write("x")
            seen["writes"][p] = True
        except OSError:
            seen["writes"][p] = False
    seen["pids"] = sorted(int(d) for d in _os.listdir("/proc") if d.isdigit())
    return seen
'''

