"""Import a WordPress export (WXR) as Tilmash posts, keeping what pelican-import loses.

`invoke import-wordpress export.xml` calls `import_export`; `wxr` reads the export,
`convert` turns each post's HTML into Markdown and restores its language markers, and
`taxonomy` sorts WordPress categories into countries, language hints, post types and topics.
"""
