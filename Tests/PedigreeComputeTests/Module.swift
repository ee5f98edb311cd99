// Tests for PedigreeCompute.
