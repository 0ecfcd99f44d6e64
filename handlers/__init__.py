"""Features, one package or module each; ``cedbot.py`` lists them in routing order."""
