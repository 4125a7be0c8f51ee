"""Framework-free helpers; nothing here imports Django or the rest of Solidarity."""
