// The PedigreePolicy module. See README.md, section Architecture.
