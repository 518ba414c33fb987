"""``qconsole serve``: the hall server for the LAN (the database stays on this machine)."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from console.cli.common import DbOpt, default_db, err, guarded, out
from console.domain.errors import BadInput
from console.server.limits import MAX_CONNECTIONS, PER_ADDRESS, PUBLIC_STREAMS, REQUEST_TIMEOUT_S

DEFAULT_PORT = 8450
OPEN_FILES = 4096
"""Each connection is an open file: the soft limit is raised to this (or the hard limit)."""
PLAIN_HTTP_WARNING = (
    "plain HTTP on {host}: station tokens and clerk PINs cross the network unencrypted; "
    "use --tls-cert/--tls-key, or listen on 127.0.0.1 behind a TLS reverse proxy"
)


def _configure_logging(level: str, access_log: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("qconsole.access")
    access.handlers[:] = [handler]
    access.propagate = False
    access.setLevel(logging.INFO if access_log else logging.WARNING)
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def run_server(
    db: Path, host: str, port: int, *, tls_cert: Path | None = None, tls_key: Path | None = None,
    grace: float = 10.0, log_level: str = "info", access_log: bool = True,
    forwarded_allow_ips: str | None = None, app: Any = None, warnings: tuple[str, ...] = (),
    printer_dir: Path | None = None, request_timeout: float = REQUEST_TIMEOUT_S,
    max_connections: int = MAX_CONNECTIONS, per_address: int = PER_ADDRESS,
    public_streams: int = PUBLIC_STREAMS, replica: str | None = None,
) -> None:  # fmt: skip
    """Serve the hall at ``db`` until SIGTERM/SIGINT; in-flight requests finish first.

    With ``replica`` (a URL, see ``console.replica``) Litestream runs beside the server as
    its child: started before the first request, restarted when it exits, given its last
    sync after the last request; it does the WAL checkpoints then, not the server."""
    import uvicorn

    from console.engine.failover import hall_generation
    from console.local import LocalHall
    from console.server.app import create_app
    from console.server.protocol import Admission, hall_protocol

    first = LocalHall(db)  # refuse a missing, foreign or unmigrated database before listening
    try:
        generation = hall_generation(first.engine.conn)
    finally:
        first.close()
    _raise_open_files(max_connections + 100)
    _configure_logging(log_level, access_log)
    replicator = watch = None
    if replica:
        from console.replica import Replica, Replicator
        from console.server.replication import ReplicaWatch, refuse_if_superseded

        parsed = Replica.parse(replica)
        # an old primary restarted after a failover finds the standby's generation there:
        # it must neither serve nor let its Litestream write into that replica
        refuse_if_superseded(parsed, generation)
        replicator = Replicator(db, parsed)
        watch = ReplicaWatch(db, replicator, generation)
    app = app or create_app(db, warnings=warnings, printer_dir=printer_dir,
                            public_streams=public_streams, replication=watch)  # fmt: skip
    trusted = [a.strip() for a in (forwarded_allow_ips or "").split(",") if a.strip()]
    admission = Admission(max_connections, per_address, exempt=trusted)

    class Server(uvicorn.Server):
        """Ends the live streams as soon as shutdown starts, so draining is quick."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            hall = getattr(app.state, "hall", None)
            if hall is not None:
                hall.hub.begin_shutdown()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=False,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        timeout_graceful_shutdown=grace, proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips, timeout_keep_alive=30,
        http=hall_protocol(admission, request_timeout),
        loop="asyncio" if sys.platform == "win32" else "uvloop",  # a call's loop share halves
    )  # fmt: skip
    if replicator is None:
        Server(config).run()
        return
    # uvicorn re-raises SIGTERM once it has shut down, which would end the process before
    # Litestream's last sync: exit through Python instead (143, as systemd expects)
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    replicator.start()
    try:
        Server(config).run()
    finally:
        replicator.stop()


def _raise_open_files(wanted: int) -> None:
    """Lift the soft open-files limit (often 1024) so every allowed connection can open."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = max(soft, min(max(wanted, OPEN_FILES), hard if hard != resource.RLIM_INFINITY
                           else max(wanted, OPEN_FILES)))  # fmt: skip
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


@guarded
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this "
                    "machine or a reverse proxy; 0.0.0.0: the LAN, which needs TLS or "
                    "--insecure-http).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = DEFAULT_PORT,
    tls_cert: Annotated[Path | None, typer.Option("--tls-cert", help="TLS certificate (PEM).")]
    = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key", help="TLS private key (PEM).")]
    = None,
    grace: Annotated[float, typer.Option("--grace", help="Seconds in-flight requests get to "
                                         "finish on shutdown.")] = 10.0,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log",
                                             help="One JSON line per request on stderr.")] = True,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        "--forwarded-allow-ips", help="Trust X-Forwarded-For from these proxy addresses.")]
    = None,
    insecure_http: Annotated[bool, typer.Option("--insecure-http", help="Serve plain HTTP on a "
                             "non-loopback address anyway (warned at start and on /health).")]
    = False,
    printer_dir: Annotated[Path | None, typer.Option("--printer-dir", help="Directory the "
                           "server's file printers may write to (besides /dev/usb/lp*, "
                           "/dev/ttyUSB*, /dev/ttyS*).")] = None,
    request_timeout: Annotated[float, typer.Option("--request-timeout", "--header-timeout",
                               help="Seconds from a connection's accept (or a kept-alive "
                               "connection's next request) to the end of the request's body: "
                               "later, it is closed, or answered 408.")] = REQUEST_TIMEOUT_S,
    max_connections: Annotated[int, typer.Option("--max-connections", help="Open connections "
                               "at most; beyond, a newcomer replaces an idle connection, or is "
                               "answered 503 when all are busy.")] = MAX_CONNECTIONS,
    max_per_address: Annotated[int, typer.Option("--max-per-address", help="Open connections "
                               "per client address at most (the same rule; addresses in "
                               "--forwarded-allow-ips are exempt).")] = PER_ADDRESS,
    public_streams: Annotated[int, typer.Option("--public-streams", help="Live streams of "
                              "citizens' pages at most; beyond, a page polls.")] = PUBLIC_STREAMS,
    replica: Annotated[str | None, typer.Option("--replica", envvar="QCONSOLE_REPLICA",
                       help="Replicate the database continuously with Litestream to this "
                       "sftp://user@host/path?key=FILE, directory or s3:// URL (the standby's "
                       "copy; see docs/admin.md, Standby and failover).")] = None,
    db: DbOpt = None,
) -> None:  # fmt: skip
    """Run the hall server for the stations of the LAN.

    Example: qconsole serve --db /srv/qconsole/hall.db --host 0.0.0.0 --tls-cert cert.pem
    --tls-key key.pem --replica "sftp://qconsole@hall-b/srv/qconsole/replica?key=/etc/qc/key"
    """
    if bool(tls_cert) != bool(tls_key):
        raise BadInput(reason="serve.tls_pair")
    for f in (tls_cert, tls_key):
        if f is not None and not f.is_file():
            raise BadInput(reason="serve.no_certificate", file=f)
    if not 0 < port < 65536:
        raise BadInput(reason="serve.bad_port", port=port)
    if not request_timeout > 0 or min(max_connections, max_per_address, public_streams) < 1:
        raise BadInput(reason="serve.limits_positive")
    from console.station_credentials import is_loopback

    warnings: tuple[str, ...] = ()
    if not tls_cert and not is_loopback(host):
        if not insecure_http:
            raise BadInput(reason="serve.plain_http", host=host)
        warnings = (PLAIN_HTTP_WARNING.format(host=host),)
        err.print(f"WARNING: {warnings[0]}", markup=False, highlight=False)
    path = db or default_db()
    scheme = "https" if tls_cert else "http"
    if replica:
        from console.replica import Replica, litestream_binary

        litestream_binary()  # refuse now, not after the stations connected
        shown = f", replicated to {Replica.parse(replica).shown}"
    else:
        shown = ""
    out.print(f"qconsole hall server: {path} on {scheme}://{host}:{port}{shown}", markup=False)
    run_server(path, host, port, tls_cert=tls_cert, tls_key=tls_key, grace=grace,
               access_log=access_log, forwarded_allow_ips=forwarded_allow_ips,
               warnings=warnings, printer_dir=printer_dir, request_timeout=request_timeout,
               max_connections=max_connections, per_address=max_per_address,
               public_streams=public_streams, replica=replica)  # fmt: skip
