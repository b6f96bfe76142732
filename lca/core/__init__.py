"""Foundations every other package builds on: errors, units and the amount grammar, safe YAML
reading with line numbers, validation messages, the method's vocabularies, shared file models,
atomic writes and the location of the shipped data. Imports nothing else of ai-lca."""
