package i18n

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold makes a name comparable as people type it: lower case, without
// diacritics (ș, ț, ă, î, â, and á, ö, ő of Hungarian names alike), spaces
// collapsed. "  Ștefan  ȚÎRLEA" folds to "stefan tirlea".
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) { // drop the combining marks NFD split off
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
