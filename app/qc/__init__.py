"""Quality checks a 质检 (data inspection) office runs on a party's data, and their reports."""
