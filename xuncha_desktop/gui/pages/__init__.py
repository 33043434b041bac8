"""One module per record type's page (spec, columns, bindings, actions, behaviours); registry lists them."""
