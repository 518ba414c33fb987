"""The hall server's limits against clients that take more than their share (defaults of
``qconsole serve``'s options), kept apart so the command line reads them without
importing the web server."""

REQUEST_TIMEOUT_S = 10.0
"""From a connection's accept (or a kept-alive connection's next byte) to the end of the
request's body: later, the connection is closed, or the request answered 408."""
MAX_CONNECTIONS = 1400
"""Open connections at most: room for the citizens' live pages and 400 for the stations."""
PER_ADDRESS = 256
"""Open connections from one client address at most (a trusted reverse proxy is exempt)."""
PUBLIC_STREAMS = 1000
"""Live streams of the citizens' pages at most (beyond, a page polls instead)."""
