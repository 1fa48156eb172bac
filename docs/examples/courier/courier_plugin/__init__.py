"""An example plugin: a courier service that takes letters and tells its opening hours."""
