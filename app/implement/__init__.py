"""Implementation tracking (共同实施): tracked items, progress reports, roll-up, issues and meetings."""
