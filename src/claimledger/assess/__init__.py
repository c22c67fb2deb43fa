"""Judgement on evidence: design level, stance, relevance and the grading rubric. Pure functions."""
