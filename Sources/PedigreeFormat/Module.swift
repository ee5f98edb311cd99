// The PedigreeFormat module. See README.md, section Architecture.
