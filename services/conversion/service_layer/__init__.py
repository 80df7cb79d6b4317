"""Use cases of conversion: plain functions taking a connection and plain values
(`catalog`, `conversions`, `consents`); `dependencies` is what they share at run time."""
