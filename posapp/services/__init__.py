"""Use cases that orchestrate domain, storage, providers and rendering; Qt-free."""
