"""PyInstaller runtime hook: let fontconfig (Qt's font source on Linux) see the bundled fonts.

Runs before the app, so Qt's first font lookup already finds them; a FONTCONFIG_FILE the user
set is kept. Windows and macOS find fonts without fontconfig.
"""

import os
import sys

if sys.platform.startswith("linux"):
    conf = os.path.join(sys._MEIPASS, "fonts.conf")
    if os.path.isfile(conf):
        os.environ.setdefault("FONTCONFIG_FILE", conf)
