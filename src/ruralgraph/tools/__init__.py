"""Tools beside the load: duplicate candidates and decisions, and the synthetic data generator."""
