"""DMP / Mon espace santé: the shared medical record (IHE XDS.b)."""
