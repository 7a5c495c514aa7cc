"""`supervision-bot demo`: the real bot and the local Discord sandbox playing a supervision week."""
