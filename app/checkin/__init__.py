"""Check-in of submitted data (质检入库): a party submits a pushed data version, the server
runs the quality checks on its own state of that party's data at that version, a coordinator
accepts it (the version is tagged 入库) or returns it with the findings."""
