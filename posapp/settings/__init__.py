"""Typed settings; secrets go to the OS keyring, never to plain files."""
