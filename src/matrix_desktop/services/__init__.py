"""Use cases over core and storage; they return plain values and what changed."""
