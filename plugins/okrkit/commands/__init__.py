"""One module per `okr` command: a function of plain arguments returning the exit code."""
