"""Each défi's follow-up: progress updates, expertise requests and outcomes (« réalisations »)."""
