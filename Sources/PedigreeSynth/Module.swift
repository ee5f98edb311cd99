// The PedigreeSynth module. See README.md, section Architecture.
