"""INSi: the national health identity (INS) teleservice."""
