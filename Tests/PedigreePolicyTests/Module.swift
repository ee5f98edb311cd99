// Tests for PedigreePolicy.
