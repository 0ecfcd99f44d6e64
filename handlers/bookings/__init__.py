"""Pieces the courses and advice features share: contact details, dates, invites, imports."""
