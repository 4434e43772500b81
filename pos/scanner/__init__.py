"""Scanner input: device profiles, framing serial bytes into reads, the serial
and keyboard-wedge readers, and decoding a read into a typed value (biip)."""
