"""Scanner hardware for developers and store IT: the scanner emulator
(`pos-scanner-emulator`) and device profiles (`hardware/profiles/*.json`)."""
