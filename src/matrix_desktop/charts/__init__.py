"""Charts: plain view-models in, matplotlib Figures out (never pyplot, never Qt)."""
