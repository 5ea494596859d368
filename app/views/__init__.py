"""The desktop views: the ONLY package importing PySide6; thin views over the Qt-free core.

The binding is pinned to 6.11.x: shiboken6 6.12.0 on Python 3.11 drops a reference to `None`
on every void C++ call and kills the interpreter after a few thousand drawing calls
("Fatal Python error: none_dealloc"); tests/views/test_binding.py guards against it.
"""
