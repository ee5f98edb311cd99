// The PedigreeCompute module. See README.md, section Architecture.
