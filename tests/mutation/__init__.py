"""Mutation testing of the modules that guard the application's promises (`python -m tests.mutation`)."""
