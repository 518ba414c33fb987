"""The terminal screens (Textual): counter console now; floor view, reception and board later.

``build_app(service, settings)`` in ``console.tui.app`` is the one way to make the
app, for the CLI and the tests alike. Nothing under ``console.domain``,
``console.engine`` or ``console.store`` imports this package.
"""
