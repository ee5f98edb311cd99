// Tests for PedigreeReports.
