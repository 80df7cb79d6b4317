"""SQL for the catalog, conversions, certificates and the consent copy."""
