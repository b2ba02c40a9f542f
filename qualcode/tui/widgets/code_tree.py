"""The codebook as a tree: each code with its colour and how often it has been used.

Counts are shown as `here·all`: codings in the open transcript and in the whole study (by the
coder at work); a code without codings shows none. Updating counts relabels only the codes whose
numbers changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.study.codebook import Code, Codebook


class CodeTree(Tree[str]):
    """A codebook tree whose nodes carry code ids."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "expand", "Expand", show=False),
        Binding("left", "collapse", "Collapse", show=False),
    ]

    def __init__(
        self,
        codebook: Codebook,
        language: str | None = None,
        *,
        show_here: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(codebook.title, id=id, classes=classes)
        self.codebook = codebook
        self.language = language
        self.show_here = show_here
        """Show counts for the open transcript as well as for the study."""
        self._code_nodes: dict[str, TreeNode[str]] = {}
        self._labels: dict[str, Text] = {}
        self._here: Mapping[str, int] = {}
        self._total: Mapping[str, int] = {}
        self._add_codes()
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2

    def _add_codes(self) -> None:
        def add(parent: TreeNode[str], code: Code) -> None:
            label = self._label(code)
            if code.children:
                node = parent.add(label, data=code.id, expand=True)
                for child in code.children:
                    add(node, child)
            else:
                node = parent.add_leaf(label, data=code.id)
            self._code_nodes[code.id] = node
            self._labels[code.id] = label

        for root in self.codebook.roots:
            add(self.root, root)
        self.root.expand()

    def _label(self, code: Code) -> Text:
        label = Text()
        label.append("● ", style=code.colour)
        label.append(code.label(self.language))
        here, total = self._here.get(code.id, 0), self._total.get(code.id, 0)
        if total or here:
            counts = f"{here}·{total}" if self.show_here else str(total)
            label.append(f"  {counts}", style="dim")
        return label

    def set_counts(self, here: Mapping[str, int], total: Mapping[str, int]) -> None:
        """New counts: codings per code in this transcript and in the study."""
        self._here, self._total = here, total
        for code_id, node in self._code_nodes.items():
            code = self.codebook.get(code_id)
            if code is None:
                continue
            label = self._label(code)
            if label.plain != self._labels[code_id].plain:
                self._labels[code_id] = label
                node.set_label(label)

    @property
    def code_id(self) -> str | None:
        """The code under the tree's cursor."""
        node = self.cursor_node
        return node.data if node is not None else None

    def select_code(self, code_id: str) -> None:
        """Move the cursor to a code, opening its parents."""
        node = self._code_nodes.get(code_id)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.move_cursor(node)

    def action_expand(self) -> None:
        if self.cursor_node is not None:
            self.cursor_node.expand()

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)
