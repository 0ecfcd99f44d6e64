"""The curated knowledge base: entries on disk, their checker, and the retrieval engine."""
