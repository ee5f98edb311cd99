// Tests for PedigreeFormat.
