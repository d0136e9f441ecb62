"""pedprof profile: Petrovsk (placeholder)."""
