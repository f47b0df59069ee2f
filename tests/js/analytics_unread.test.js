// viewer/explore/panel/analytics.js unreadWords: the line that stands in for the analytics' classifier row while
// it has no probabilities (the β slider's strip not read yet, the host's reading not in, no classifier shipped):
// never empty, and each case says its own reason.

import assert from "node:assert/strict";
import { test } from "node:test";
import { unreadWords } from "../../viewer/explore/panel/analytics.js";

test("each reason for a missing classifier row is said, in a few words", () => {
  const cases = [
    [true, true],
    [false, true],
    [true, false],
    [false, false],
  ];
  const words = cases.map(([slider, classifier]) => unreadWords(slider, classifier));
  for (const line of words) {
    assert.match(line, /^What a digit classifier reads: \S/);
    assert.ok(line.split(" ").length <= 16, line);
  }
  assert.match(words[0], /β slider rests/);
  assert.match(words[1], /host has read/);
  assert.equal(words[2], words[3]);
  assert.match(words[2], /no classifier/);
});
