"""plugins layer of Pro4 HMI (see docs/architecture.md)."""
