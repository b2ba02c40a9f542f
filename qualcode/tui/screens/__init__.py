"""The workbench's screens and dialogs (registered by name in `qualcode.tui.registry`)."""
