"""Alumni: the opt-in directory of former EIG and their situation over time."""
