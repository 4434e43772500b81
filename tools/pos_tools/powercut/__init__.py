"""A power-cut file system for tests (FUSE, mfusepy): what was not fsynced is
lost at a cut, as when a machine loses power; docs/power-cuts.md."""
