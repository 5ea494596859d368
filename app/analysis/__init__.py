"""Plan integration (多规合一): conflict detection between plans and across city borders,
core indicators and the annual check-up. Qt-free; the engine works on feature arrays, and only
`sources` (layers) and `projects` (entry points, check-up tables) open project files."""
