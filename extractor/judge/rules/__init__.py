"""The rules of the contract, each a small function from the bundle's facts to findings."""
