"""Widgets of the workbench: the transcript view (Line API), the code tree, the code picker."""
