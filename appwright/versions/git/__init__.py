"""The git layer of versions: git through its CLI, no database and no platform services.

``ProjectRepo`` (repo.py) holds init/commit/timeline/diff/revert; ``branches`` and
``remote`` hold branch and push/pull operations taking a ``ProjectRepo``; ``runner``
runs git with the platform's fixed, hardened configuration; ``types`` holds the
dataclasses these answer with.
"""
