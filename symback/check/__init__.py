"""Checking a student's work: grading a hand derivation, diagnosing the mistake, verifying claims."""
