"""The Qt shell: the runtime↔Qt bridge, tag binding, main window, theme, translations.

Everything here runs on the GUI thread except the bridge's listener methods, which
the runtime calls in its own thread; they only store values under a lock.
"""
