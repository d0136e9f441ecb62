"""The management cycle: its documents per component, the monitoring calendar, roadmaps
and their execution, and measures with the analysis of their effectiveness."""
