"""Settings: `base` is the one settings module; `test` overrides it for the test suite."""
