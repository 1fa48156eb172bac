"""jFSE: electronic care sheets (FSE) and billing."""
