// Tests for PedigreeLineage.
