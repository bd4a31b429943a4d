"""A warm interpreter that forks one limited ``linkytool`` child per run (issue 14).

Every ``mes`` case of the adversarial suite started a fresh interpreter that spent 0.6 s
of its 0.6-1.2 s of CPU importing pyhanko, aiohttp, reportlab and linkytool before the
command read its input (``acc run``: 0.15 s of numpy, xlsxwriter and linkytool). A
zygote imports them once per test worker, then forks a child
for each run; the child does what the harness's launcher does in a fresh interpreter:
its own standard streams, folder and environment, its own limits (address space, CPU
time: a forked child starts at 0 CPU seconds), ``linkytool``'s ``__main__`` run as the
program, its peak memory reported at exit. The separate process, its limits and its exit
status stay the object of the test; only the imports are shared. (Its peak resident
memory includes what it inherited: the imports, as in a fresh interpreter, and the
modules of other commands of the group; no ``mes`` or ``acc`` case asserts a peak.)
The imported objects are frozen out of the garbage collector before the forks: a child's
exit then no longer walks (and copies) them all, 0.17 s -> 0.04 s of CPU.

Forking is safe only without threads: the zygote refuses to serve (callers start a fresh
interpreter) if importing its modules started one. A run also gets a fresh interpreter if
its environment differs from the zygote's in a variable read when the interpreter or a
library starts (:data:`STARTUP`; the others are set in the child before the command
runs), or if it reads a stdin of its own.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Variables read when the interpreter or a library starts (not when the command reads
#: them): a run whose values differ gets a fresh interpreter.
STARTUP = ("PYTHON", "MALLOC_", "MIMALLOC_", "OPENBLAS_", "OMP_", "LC_", "LANG")

#: Python source of the zygote: argv = socket path, modules to import (comma-separated).
SERVER = r"""
import gc, importlib, json, os, resource, runpy, select, socket, sys
path, modules = sys.argv[1], sys.argv[2].split(",")
for name in modules:
    importlib.import_module(name)
gc.freeze()  # the imported objects: never traversed (nor copied on write) by the children
if len(os.listdir("/proc/self/task")) != 1:  # a thread would not survive a fork
    print("threads", flush=True)
    sys.exit(0)
server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
server.bind(path)
server.listen(64)
print("ready", flush=True)
running = {}
child = None
while child is None:
    ready, _, _ = select.select([server, sys.stdin], [], [], 0.02 if running else None)
    if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1):
        sys.exit(0)  # the test worker is gone
    if server in ready:
        conn, _ = server.accept()
        try:
            message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        except OSError:
            message, fds = b"", []
        if not message or len(fds) != 3:  # a caller that gave up before asking
            for fd in fds:
                os.close(fd)
            conn.close()
            continue
        pid = os.fork()
        if pid == 0:
            child = (json.loads(message), fds)
            server.close()
            conn.close()
            for other in running.values():
                other.close()
            break
        for fd in fds:
            os.close(fd)
        try:
            conn.send(json.dumps({"pid": pid}).encode())
        except OSError:
            pass
        running[pid] = conn
    while running:
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            break
        conn = running.pop(pid)
        try:  # the caller may have given up waiting (timeout)
            conn.send(json.dumps({"status": status}).encode())
        except OSError:
            pass
        conn.close()
request, fds = child
for target, fd in enumerate(fds):
    os.dup2(fd, target)
    os.close(fd)
if request["cwd"] is not None:
    os.chdir(request["cwd"])
os.environ.clear()
os.environ.update(request["env"])
limit = request["address_space"]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CPU, (request["cpu_s"], request["cpu_s"]))
del request, fds, child, running, server, path, modules, limit
PEAK_MARKER = sys.argv[3]
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("\n" + PEAK_MARKER + line.split()[1] + "\n")
import atexit
atexit.register(peak)
sys.argv = ["linkytool", *json.loads(os.environ.pop("LINKYTOOL_ZYGOTE_ARGS"))]
runpy.run_module("linkytool", run_name="__main__")
"""


class Zygote:
    """One warm interpreter of this test worker, for the runs of one ``linkytool`` command
    group (``mes``, ``acc``)."""

    def __init__(self, modules: tuple[str, ...], env: dict[str, str], peak_marker: str) -> None:
        self.env = env
        self.folder = Path(tempfile.mkdtemp(prefix="lt-zygote-"))
        self.path = str(self.folder / "socket")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, self.path, ",".join(modules), peak_marker],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdout is not None
        self.ready = self.process.stdout.readline().strip() == b"ready"
        atexit.register(self.close)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)

    def serves(self, env: dict[str, str]) -> bool:
        """Whether a run in ``env`` can be forked from here."""

        def startup(values: dict[str, str]) -> dict[str, str]:
            return {k: v for k, v in values.items() if k.startswith(STARTUP)}

        return self.ready and self.process.poll() is None and startup(env) == startup(self.env)

    def run(
        self,
        args: list[str],
        *,
        cwd: Path | None,
        stdin: int,
        stderr_file: int | None,
        env: dict[str, str],
        address_space: int,
        cpu_s: int,
        timeout: float,
    ) -> tuple[int, bytes, bytes]:
        """(exit code as ``subprocess`` gives it, stdout, stderr) of one forked run."""
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe() if stderr_file is None else (-1, -1)
        request = {
            "cwd": None if cwd is None else str(cwd),
            "env": {**env, "LINKYTOOL_ZYGOTE_ARGS": json.dumps(args)},
            "address_space": address_space,
            "cpu_s": cpu_s,
        }
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            conn.connect(self.path)
            fds = [stdin, out_write, err_write if stderr_file is None else stderr_file]
            socket.send_fds(conn, [json.dumps(request).encode()], fds)
            os.close(out_write)
            if stderr_file is None:
                os.close(err_write)
            pid = json.loads(conn.recv(1 << 16))["pid"]
            outputs = _read_all([out_read] + ([err_read] if stderr_file is None else []),
                                pid, time.monotonic() + timeout, [*args], timeout)  # fmt: skip
            conn.settimeout(timeout)
            status = json.loads(conn.recv(1 << 16))["status"]
        finally:
            conn.close()
        return (
            os.waitstatus_to_exitcode(status),
            outputs[0],
            outputs[1] if len(outputs) > 1 else b"",
        )


def _read_all(
    fds: list[int], pid: int, deadline: float, args: list[str], timeout: float
) -> list[bytes]:
    """Everything written to ``fds`` until each is closed; the child is killed (and
    ``TimeoutExpired`` raised) at ``deadline``."""
    chunks: dict[int, list[bytes]] = {fd: [] for fd in fds}
    with selectors.DefaultSelector() as selector:
        for fd in fds:
            selector.register(fd, selectors.EVENT_READ)
        try:
            while selector.get_map():
                left = deadline - time.monotonic()
                if left <= 0:
                    os.kill(pid, 9)
                    raise subprocess.TimeoutExpired(["linkytool", *args], timeout)
                for key, _ in selector.select(left):
                    data = os.read(key.fd, 1 << 16)
                    if data:
                        chunks[key.fd].append(data)
                    else:
                        selector.unregister(key.fd)
        finally:
            for fd in fds:
                os.close(fd)
    return [b"".join(chunks[fd]) for fd in fds]
