"""cedbot: the assistant for Danish cluster managers, run by Cluster Excellence Denmark."""

__version__ = "0.1.0"
