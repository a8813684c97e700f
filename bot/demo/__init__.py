"""The offline demo: a scripted community played through Daybook."""
