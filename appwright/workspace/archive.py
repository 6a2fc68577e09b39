"""Zip export of a workspace, dependencies and build output left out."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
import zipfile
from typing import IO

from appwright.workspace.scan import iter_files, open_file

SPOOL_BYTES = 8 * 1024 * 1024
"""Archives up to this size stay in memory; bigger ones spill to a temporary file."""

_ZIP_EPOCH = 315_532_800 + 86_400  # zip timestamps cannot predate 1980


def build_zip(root: str, ignored: frozenset[str], prefix: str = "") -> IO[bytes]:
    """Write the workspace's files into a zip and return it rewound; blocking.

    Symlinks are never followed or stored (a link pointing outside must not leak the
    host's files into the archive); each file is opened with ``O_NOFOLLOW``. ``prefix``
    (e.g. ``"my-app/"``) is prepended to every name.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for rel, _absolute in iter_files(root, ignored):
            fd = open_file(root, rel)
            if fd is None:
                continue  # vanished, not a regular file, or a link appeared on the way
            st = os.fstat(fd)
            with os.fdopen(fd, "rb") as src:
                stamp = time.localtime(max(st.st_mtime, _ZIP_EPOCH))[:6]
                info = zipfile.ZipInfo(prefix + rel, stamp)
                info.external_attr = (stat.S_IMODE(st.st_mode) | stat.S_IFREG) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=st.st_size > 2**31) as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
    spool.seek(0)
    return spool
