"""Credit Bank federation gateway: plans operations over the subgraphs of a supergraph."""
