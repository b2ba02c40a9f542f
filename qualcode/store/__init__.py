"""Each coder's codings, memos and undo history, one SQLite file per coder."""

from qualcode.store.anchoring import Anchor, anchor, anchor_all
from qualcode.store.coder_store import Coding, CoderStore, Feedback, Memo

__all__ = ["Anchor", "Coding", "CoderStore", "Feedback", "Memo", "anchor", "anchor_all"]
