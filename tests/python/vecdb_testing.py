"""Test fixtures: a real vecdb-server child process per test.

The binary comes from $VECDB_SERVER_BINARY (set by ctest). The server
listens on 127.0.0.1 port 0 (it picks a free port and prints it in its
"vecdb-server listening on <addr> ..." line) with a fresh temporary data
directory; tearDown stops it and removes the directory.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import unittest

import vecdb

_PREFIX = "vecdb-server listening on "


class ServerProcess:
    """One vecdb-server child process."""

    def __init__(self, data_dir: str, startup_timeout: float = 30.0):
        binary = os.environ.get("VECDB_SERVER_BINARY")
        if not binary:
            raise unittest.SkipTest("VECDB_SERVER_BINARY is not set")
        self.process = subprocess.Popen(
            [binary, "--listen=127.0.0.1:0", f"--data_dir={data_dir}",
             "--sync=none", "--threads=4"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = []
        self.address = self._wait_listening(startup_timeout)

    def _wait_listening(self, timeout: float) -> str:
        # A reader thread keeps draining the pipe for the whole life of the
        # process, so the server never blocks on a full pipe.
        found = threading.Event()
        address = []

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                if not found.is_set() and line.startswith(_PREFIX):
                    address.append(line[len(_PREFIX):].split(" ", 1)[0])
                    found.set()
            found.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        if not found.wait(timeout) or not address:
            self.stop()
            raise RuntimeError(
                "vecdb-server did not start:\n" + "".join(self.output))
        return address[0]

    def stop(self) -> int:
        """SIGTERM, then SIGKILL after 20 s; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        self.process.stdout.close()
        return self.process.returncode


class ServerTestCase(unittest.TestCase):
    """Starts a server and a client (self.client) around each test."""

    def setUp(self):
        self.temp_dir = tempfile.mkdtemp(prefix="vecdb_python_test_")
        self.server = ServerProcess(os.path.join(self.temp_dir, "data"))
        self.client = vecdb.Client(self.server.address, timeout=30.0)

    def tearDown(self):
        self.client.close()
        code = self.server.stop()
        shutil.rmtree(self.temp_dir, ignore_errors=True)
        self.assertEqual(code, 0, "".join(self.server.output))
