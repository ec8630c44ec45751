"""The method: cycles, objectives, key results, scoring, rules and changes (standard library only)."""
