// The PedigreeReports module. See README.md, section Architecture.
