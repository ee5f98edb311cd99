// The PedigreeLineage module. See README.md, section Architecture.
