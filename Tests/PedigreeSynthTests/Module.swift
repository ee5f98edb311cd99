// Tests for PedigreeSynth.
