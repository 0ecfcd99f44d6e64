"""Channel adapters: platform payloads to :class:`bot.types.Incoming`, replies back out."""
