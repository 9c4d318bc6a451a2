"""Fake provider servers: real HTTP servers on 127.0.0.1 implementing the documented contracts."""
