"""A small TCP proxy on 127.0.0.1 for tests and benchmarks: added latency, a link to cut.

    proxy = TcpProxy("127.0.0.1", server_port, delay_ms=10).start()   # 10 ms each way
    url = f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/db"
    proxy.cut()       # open connections reset, new ones refused (a dropped link)
    proxy.restore()   # accepting again on the same port
    proxy.stop()

Each direction forwards bytes in order after `delay_ms`, so a round trip costs 2 x delay_ms
plus the server's time, as over a real network; bursts are not slowed further (no bandwidth
limit). Benchmarks import it directly; tests load it by path.
"""

from __future__ import annotations

import queue
import socket
import threading
import time


class TcpProxy:
    """Forward 127.0.0.1:port to target, adding delay_ms each way; cut() and restore() the link."""

    def __init__(self, target_host: str, target_port: int, delay_ms: float = 0.0, port: int = 0):
        self.target = (target_host, target_port)
        self.delay = delay_ms / 1000.0
        self.port = port
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._stopped = threading.Event()
        self.connections = 0  # accepted so far
        # Round trips: each time the server answers after the client has sent something.
        self.round_trips = 0
        self._client_spoke: set[int] = set()

    # -- the link --------------------------------------------------------------------------
    def start(self) -> TcpProxy:
        """Listen (on a free port the first time, then on the same one); returns self."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopped.clear()
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Drop the link: reset every open connection and refuse new ones until restore()."""
        self._stopped.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
            except OSError:
                pass
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            # shutdown() first: a close() alone leaves a socket a thread is reading from open.
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def restore(self) -> None:
        """Accept connections again on the same port."""
        if self._listener is None:
            self.start()

    def stop(self) -> None:
        self.cut()

    def _count(self, key: int, upstream: bool) -> None:
        with self._lock:
            if upstream:
                self._client_spoke.add(key)
            elif key in self._client_spoke:
                self._client_spoke.discard(key)
                self.round_trips += 1

    # -- forwarding --------------------------------------------------------------------------
    def _accept(self, listener: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self._stopped.is_set():
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets |= {client, upstream}
                self.connections += 1
            self._pipe(client, upstream, key=id(client), upstream=True)
            self._pipe(upstream, client, key=id(client), upstream=False)

    def _pipe(self, source: socket.socket, sink: socket.socket, key: int, upstream: bool) -> None:
        """Copy source to sink on two threads: one reads and stamps, one waits and writes."""
        chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()

        def read() -> None:
            try:
                while True:
                    data = source.recv(65536)
                    if data:
                        self._count(key, upstream)
                    chunks.put((time.monotonic() + self.delay, data))
                    if not data:
                        return
            except OSError:
                chunks.put((0.0, b""))

        def write() -> None:
            try:
                while True:
                    due, data = chunks.get()
                    wait = due - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                    if not data:
                        break
                    sink.sendall(data)
            except OSError:
                pass
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            with self._lock:
                self._sockets -= {source, sink}

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()
