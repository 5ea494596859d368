"""Qt-free editing models: feature store with a spatial index, selection, sketches, vertex edits,
undoable edit commands and form state. The views drive them; tests need no display."""
