"""The coding workbench, a Textual app: `qualcode open STUDY`.

Start it from Python with `qualcode.tui.app.make_app(root, coder).run()`.
"""
