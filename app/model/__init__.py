"""Pure domain objects and rules: no database, file or network I/O."""
