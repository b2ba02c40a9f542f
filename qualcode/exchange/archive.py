"""The `.qdpx` zip file: finding its `.qde` project file and the source files it refers to.

The standard asks for `project.qde` beside a `sources/` folder, but programs differ: some write
`Sources/` or upper-case file names, name the `.qde` otherwise, put everything in a top folder,
or refer to a source by its plain file name instead of `internal://<guid>.txt`. Files are
therefore looked up without regard to case, first by their full path and then by name alone,
preferring a `sources` folder beside the `.qde`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Self

from qualcode.errors import ImportFileError

_SCHEME = re.compile(r"^(?:internal|relative|absolute|file):/*", re.IGNORECASE)
_MAX_ENTRY = 1 << 30  # no interview transcript comes near a gigabyte


class Archive:
    """A `.qdpx` file, opened for reading. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_file(path)
        if not zipfile.is_zipfile(path):
            raise ImportFileError(
                "This is not a REFI-QDA project: it is not a zip archive, which every .qdpx "
                "file is.",
                path=path,
                hint="Export the project again as REFI-QDA (.qdpx). A codebook alone (.qdc) is "
                "imported with `qualcode refi import-codebook STUDY FILE.qdc`.",
            )
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _damaged(path, exc) from None
        self.entries = {
            name.replace("\\", "/"): name for name in self.zip.namelist() if not name.endswith("/")
        }
        self.qde = self._find_qde()
        self.base = str(PurePosixPath(self.qde).parent).lower().strip(".")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def _find_qde(self) -> str:
        found = [name for name in self.entries if name.lower().endswith(".qde")]
        if not found:
            raise ImportFileError(
                "The .qdpx file holds no project file (.qde).",
                path=self.path,
                hint="The export is incomplete or this is another kind of zip file. Export the "
                "project again from the program it came from.",
            )
        # The shallowest one, and `project.qde` before any other name.
        found.sort(key=lambda n: (n.count("/"), PurePosixPath(n).name.lower() != "project.qde", n))
        return found[0]

    def read(self, name: str) -> bytes:
        """The bytes of one entry (a name from `entries`)."""
        info = self.zip.getinfo(self.entries[name])
        if info.file_size > _MAX_ENTRY:
            raise ImportFileError(
                f"`{name}` inside the project is too large to be a transcript "
                f"({info.file_size // (1 << 20)} MB).",
                path=self.path,
            )
        if info.flag_bits & 0x1:
            raise ImportFileError(
                f"The project is protected by a password (`{name}` inside it is encrypted), and "
                "qualcode cannot open protected files.",
                path=self.path,
                hint="Export the project again without a password.",
            )
        try:
            return self.zip.read(info)
        except NotImplementedError:
            raise ImportFileError(
                f"`{name}` inside the project is packed in a way qualcode cannot unpack (an "
                "unusual zip compression).",
                path=self.path,
                hint="Unpack the .qdpx file with your computer's own tools and pack it again as "
                "an ordinary zip file, or export it again from the program it came from.",
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _damaged(self.path, exc) from None

    def find_source(self, reference: str) -> str | None:
        """The entry a source path such as `internal://<guid>.txt` refers to, or None."""
        ref = _SCHEME.sub("", reference.strip()).replace("\\", "/").lstrip("/")
        if not ref:
            return None
        lower = {name.lower(): name for name in self.entries}
        prefix = f"{self.base}/" if self.base else ""
        for candidate in (f"{prefix}sources/{ref}", f"{prefix}{ref}", ref):
            if candidate.lower() in lower:
                return lower[candidate.lower()]
        filename = PurePosixPath(ref).name.lower()
        matches = [n for n in self.entries if PurePosixPath(n).name.lower() == filename]
        matches.sort(key=lambda n: (str(PurePosixPath(n).parent).lower() != f"{prefix}sources", n))
        return matches[0] if matches else None


def check_file(path: Path) -> None:
    """Raise ImportFileError when `path` is not a readable file."""
    if not path.exists():
        raise ImportFileError("The file does not exist.", path=path, hint="Check the file name.")
    if path.is_dir():
        raise ImportFileError(
            "This is a folder, not a file.",
            path=path,
            hint="Give the exported file itself (.qdpx or .qdc).",
        )


def _damaged(path: Path, exc: Exception) -> ImportFileError:
    return ImportFileError(
        f"The zip archive is damaged and cannot be read ({exc}).",
        path=path,
        hint="Copy or download the file again, or export it again from the program it came from.",
    )
