"""The command line, `python -m geo`: main parses and dispatches; ingest and archive hold the
write path's commands. Each command is a few lines over the library; a GeoError becomes a
one-line message here. The top of the package: it may import every layer below.
"""
