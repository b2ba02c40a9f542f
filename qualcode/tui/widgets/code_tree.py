"""The codebook as a tree: each code with its colour and how often it has been used.

Counts are shown as `here·all`: codings in the open transcript and in the whole study (by the
coder at work); a code without codings shows none. Updating counts relabels only the codes whose
numbers changed. When the tree is narrow, a long label is shortened with `…` so that its counts
stay in view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.study.codebook import Code, Codebook

TOGGLE = Style.from_meta({"toggle": True})
"""Marks the arrow before a code with subcodes: a click there opens or closes them."""


class CodeTree(Tree[str]):
    """A codebook tree whose nodes carry code ids."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "expand", "Open the code's subcodes", show=False),
        Binding("left", "collapse", "Close the subcodes (or go to the code above)", show=False),
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
        super().__init__(Text(codebook.title), id=id, classes=classes)
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

    def _label(self, code: Code, room: int | None = None) -> Text:
        """`● Label  1·3`; with `room`, the label is shortened to fit it, never the counts."""
        counts = self._counts(code)
        name = Text(code.label(self.language))
        if room is not None and 2 + name.cell_len + len(counts) > room:
            name.truncate(max(1, room - 2 - len(counts)), overflow="ellipsis")
        label = Text()
        label.append("● ", style=code.colour)
        label.append_text(name)
        label.append(counts, style="dim")
        return label

    def _counts(self, code: Code) -> str:
        here, total = self._here.get(code.id, 0), self._total.get(code.id, 0)
        if not (total or here):
            return ""
        return f"  {here}·{total}" if self.show_here else f"  {total}"

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        code = self.codebook.get(node.data) if node.data else None
        if code is None:
            return super().render_label(node, base_style, style)
        prefix = ""
        if node.allow_expand:
            prefix = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        width = self.scrollable_content_region.width
        room = width - self._indent(node) - len(prefix) if width > 0 else None
        label = self._label(code, room)
        label.stylize(style)
        return Text.assemble((prefix, base_style + TOGGLE), label)

    def _indent(self, node: TreeNode[str]) -> int:
        """Columns of guide lines before a node's label."""
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth += 1
            parent = parent.parent
        return depth * self.guide_depth

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
