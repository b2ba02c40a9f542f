"""One flat int32 array per cached text: blocks and strings go in and come back out unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.language.packing import pack, unpack


@pytest.mark.parametrize(
    "strings",
    [
        ["avstand", "kontaktperson", "NAV-sentralbordet", "«sitat»", "ære", "日本", ""],
        [],
        [""],
        ["med\nlinjeskift", "og\x1fkontrolltegn"],
        ["alle\n", "\x1f", "\x1e", "\x00", "skilletegn"],  # no separator is free: lengths kept
    ],
)
def test_blocks_and_strings_come_back(strings):
    blocks = [np.arange(5, dtype=np.int32), np.array([-3, 7], np.int64), np.zeros(0, np.int32)]
    packed = pack(7, blocks, strings)
    assert packed.dtype == np.int32 and packed.ndim == 1
    found, packed_strings = unpack(7, packed)
    assert [b.tolist() for b in found] == [b.tolist() for b in blocks]
    assert len(packed_strings) == len(strings)
    assert packed_strings.decode() == strings


def test_a_damaged_or_foreign_array_is_refused():
    packed = pack(7, [np.arange(4)], ["en", "to", "tre"])
    with pytest.raises(ValueError):
        unpack(8, packed)  # another kind
    for damaged in (packed[:-1], packed[1:], packed.astype(np.int64), packed.reshape(1, -1)):
        with pytest.raises(ValueError):
            unpack(7, damaged)
    changed = packed.copy()
    text = changed[-3:].view(np.uint8)
    text[text == ord("\n")] = ord("x")  # the strings run together
    with pytest.raises(ValueError):
        unpack(7, changed)
