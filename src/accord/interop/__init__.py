"""Negotiation domains in and out: GENIUS (and NegMAS, which reads the same files).

* :mod:`accord.interop.genius_xml` reads GENIUS's XML domain and profile files, safely
  (``defusedxml``: no entities, no DTD, no network; the file-size limit of
  :mod:`accord.limits`), into plain values, refusing what it cannot read exactly.
* :mod:`accord.interop.genius_import` turns them into an accord scenario file, every
  conversion decision stated in a comment of the file it writes.
* :mod:`accord.interop.genius_export` writes a scenario as a GENIUS domain and one profile
  per negotiator.
"""

from __future__ import annotations

from accord.interop.genius_export import export_genius
from accord.interop.genius_import import import_genius

__all__ = ["export_genius", "import_genius"]
