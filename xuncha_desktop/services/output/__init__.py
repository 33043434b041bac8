"""What leaves the workspace as documents: PDF forms, Excel ledgers and ledger import, atomic output files."""
