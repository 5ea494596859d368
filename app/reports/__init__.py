"""Reports and publishing: data → charts and maps (matplotlib Figure) → reportlab PDF."""
