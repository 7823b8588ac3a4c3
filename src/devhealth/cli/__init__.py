"""The `devhealth` command line: parse, call one library function, render with Rich."""
