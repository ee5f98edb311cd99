// The PedigreeTestSupport module. See README.md, section Architecture.
