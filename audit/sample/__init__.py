"""Sample-batch generator: synthetic scanned documents with known content, for tests and demos."""
