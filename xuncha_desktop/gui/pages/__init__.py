"""The record pages: one module per record type (spec, columns, bindings, actions, behaviours), listed in
registry.py, and the RecordPage machinery (list, form, bindings, recovery) that serves them all."""
