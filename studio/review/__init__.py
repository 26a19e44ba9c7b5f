"""Trainer review of label designs: a frozen version, the queue, comments, decisions, comparison."""
