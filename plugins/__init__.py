"""The built-in plugins, each registered through the aiguillage.plugins entry-point group."""
