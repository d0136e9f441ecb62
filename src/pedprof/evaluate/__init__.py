"""Evaluation: targets and dynamics per indicator, planned effects, problem zones (the
analysis), and targeted recommendations drawn from it."""
