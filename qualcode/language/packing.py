"""Packing integer arrays and strings into one flat int32 array, for one-file-one-read caches.

numpy reads a single `.npy` array far quicker than a `.npz` archive of several (which is a zip
file), and a study has hundreds of cached texts, so each cached text is one array:

    [magic, kind, number of blocks, length of each block ..., number of strings,
     separator, number of text bytes]
    + each block + (only without a separator: the length of each string) + the strings as UTF-8,
    padded to whole int32s.

The strings are joined by a separator character that none of them contains (chosen when
packing), so that reading them back is one decode and one split; in the unlikely case that every
candidate occurs in the strings, their lengths are stored instead (separator -1). `kind` tells
what the blocks mean (and changes when their layout does); `unpack` checks every length, so a
damaged or foreign file is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_MAGIC = 0x51434B32  # "QCK2"
_SEPARATORS = ("\n", "\x1f", "\x1e", "\x00")


class PackedStrings:
    """Strings as read from a packed array, decoded when first asked for."""

    def __init__(self, count: int, separator: int, lengths: np.ndarray, text: np.ndarray) -> None:
        self.count = count
        self.separator = separator
        self.lengths = lengths
        self.text = text

    def __len__(self) -> int:
        return self.count

    def check(self) -> None:
        """A quick check, without decoding, that the text holds `count` strings (ValueError)."""
        if self.separator >= 0 and self.count:
            mark = chr(self.separator).encode("utf-8")
            if self.text.tobytes().count(mark) != self.count - 1:
                raise ValueError("the text does not hold the strings")

    def decode(self) -> list[str]:
        """The strings; ValueError when the bytes do not hold `count` of them."""
        try:
            joined = self.text.tobytes().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError("damaged text") from error
        if self.separator >= 0:
            if not self.count:
                if joined:
                    raise ValueError("text without strings")
                return []
            found = joined.split(chr(self.separator))
            if len(found) != self.count:
                raise ValueError("the text does not hold the strings")
            return found
        ends = np.cumsum(self.lengths, dtype=np.int64)
        if ends.size and (int(ends[-1]) != len(joined) or int(self.lengths.min()) < 0):
            raise ValueError("lengths do not match the text")
        if not ends.size and joined:
            raise ValueError("text without strings")
        starts = (ends - self.lengths).tolist()
        return [joined[a:b] for a, b in zip(starts, ends.tolist())]


def pack(kind: int, blocks: Sequence[np.ndarray], strings: Sequence[str]) -> np.ndarray:
    """Integer blocks (each fits int32) and strings as one flat int32 array."""
    plain = "".join(strings)
    separator = next((c for c in _SEPARATORS if c not in plain), None)
    if separator is None:
        lengths = np.fromiter(map(len, strings), np.int32, len(strings))
        text = plain
    else:
        lengths = np.zeros(0, np.int32)
        text = separator.join(strings)
    encoded = np.frombuffer(text.encode("utf-8"), np.uint8)
    padded = np.zeros(-(-encoded.shape[0] // 4) * 4, np.uint8)
    padded[: encoded.shape[0]] = encoded
    sizes = [int(np.size(b)) for b in blocks]
    mark = -1 if separator is None else ord(separator)
    header = [_MAGIC, kind, len(blocks), *sizes, len(strings), mark, encoded.shape[0]]
    return np.concatenate(
        [np.array(header, np.int32)]
        + [np.asarray(b).reshape(-1).astype(np.int32, copy=False) for b in blocks]
        + [lengths, padded.view(np.int32)]
    )


def unpack(kind: int, packed: np.ndarray) -> tuple[list[np.ndarray], PackedStrings]:
    """The blocks (views into `packed`) and the strings, still packed.

    ValueError when `packed` is not what `pack(kind, ...)` makes.
    """
    if packed.dtype != np.int32 or packed.ndim != 1 or packed.shape[0] < 6:
        raise ValueError("not a packed array")
    if int(packed[0]) != _MAGIC or int(packed[1]) != kind:
        raise ValueError("not a packed array of this kind")
    count = int(packed[2])
    if count < 0 or packed.shape[0] < 6 + count:
        raise ValueError("damaged header")
    sizes = [int(v) for v in packed[3 : 3 + count]]
    strings, separator, size = (int(v) for v in packed[3 + count : 6 + count])
    if min(sizes + [strings, size]) < 0 or separator < -1:
        raise ValueError("damaged header")
    lengths = strings if separator < 0 else 0
    at = 6 + count
    if packed.shape[0] != at + sum(sizes) + lengths + -(-size // 4):
        raise ValueError("packed array of the wrong length")
    blocks = []
    for length in sizes:
        blocks.append(packed[at : at + length])
        at += length
    text = packed[at + lengths :].view(np.uint8)[:size]
    found = PackedStrings(strings, separator, packed[at : at + lengths], text)
    found.check()
    return blocks, found
