package rescode

import (
	"testing"
)

// FuzzParse feeds the parser arbitrary text: it must never panic, and it
// must never accept what the test key did not sign. The seed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add(issue(f, testKey, testClaims))
	f.Add("GH")
	f.Add("gh123")
	f.Add("]Q1GH999")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text, testRing)
		if err != nil {
			return
		}
		// Accepted: it must be exactly what the key signs for these claims.
		again, ierr := Issue(testKey, c)
		if ierr != nil {
			t.Fatalf("accepted claims cannot be issued: %+v: %v", c, ierr)
		}
		if c2, err := Parse(again, testRing); err != nil || c2 != c {
			t.Fatalf("accepted %q as %+v, which does not round-trip", text, c)
		}
	})
}
