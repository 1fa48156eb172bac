"""End-to-end tests of the practice console in a real browser."""
