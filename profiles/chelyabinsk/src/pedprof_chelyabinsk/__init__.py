"""pedprof regional layer: Chelyabinsk (placeholder)."""
