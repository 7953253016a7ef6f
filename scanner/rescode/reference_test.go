package rescode

import (
	"errors"
	"strings"
	"testing"
)

const refOffice = "TM-DUMBRAVITA"

func TestReferenceRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		id     uint64
		length int
	}{
		{0, 8}, {1, 8}, {2026112302, 8}, {1<<35 - 1, 8},
		{1 << 35, 9}, {1<<40 - 1, 9},
		{1 << 40, 14}, {1<<64 - 1, 14},
	} {
		ref := Reference(refOffice, tt.id)
		if len(ref) != tt.length {
			t.Errorf("Reference(%d) = %s: %d characters, want %d", tt.id, ref, len(ref), tt.length)
		}
		got, err := ParseReference(" " + strings.ToLower(ref[:4]) + "-" + ref[4:] + " ")
		if err != nil || got != ref {
			t.Fatalf("ParseReference(%s) = %s, %v", ref, got, err)
		}
		if id, ok := ReferenceBooking(refOffice, got); !ok || id != tt.id {
			t.Errorf("ReferenceBooking(%s) = %d, %v; want %d", ref, id, ok, tt.id)
		}
		if id, ok := ReferenceBooking("B-ELSEWHERE", got); ok && id == tt.id {
			t.Errorf("reference %s of booking %d is the same at another office", ref, tt.id)
		}
	}
}

func TestReferenceOf(t *testing.T) {
	for id, want := range map[string]string{
		"2026112302":           Reference(refOffice, 2026112302),
		"18446744073709551615": Reference(refOffice, 1<<64-1),
		"18446744073709551616": "", "w-0123456789abcdef": "", "": "", "-1": "",
	} {
		if got := ReferenceOf(refOffice, id); got != want {
			t.Errorf("ReferenceOf(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestReferencesDistinct: 100,000 consecutive bookings of an office have
// 100,000 references (a permutation cannot collide; this checks the code).
func TestReferencesDistinct(t *testing.T) {
	seen := make(map[string]uint64, 100000)
	for id := uint64(2026112300); id < 2026112300+100000; id++ {
		ref := Reference(refOffice, id)
		if other, ok := seen[ref]; ok {
			t.Fatalf("bookings %d and %d share reference %s", other, id, ref)
		}
		seen[ref] = id
	}
}

// TestReferenceTypos: every single wrong character and every swap of two
// neighbours of a valid reference is reported as a typo.
func TestReferenceTypos(t *testing.T) {
	for _, id := range []uint64{1, 2026112301, 2026112302, 1<<35 + 7, 1<<63 + 12345} {
		ref := Reference(refOffice, id)
		for i := range ref {
			for _, d := range []byte(alphabet) {
				if d == ref[i] {
					continue
				}
				typed := ref[:i] + string(d) + ref[i+1:]
				if _, err := ParseReference(typed); !errors.Is(err, ErrReferenceTypo) {
					t.Fatalf("%s typed as %s: %v, want a typo", ref, typed, err)
				}
			}
			if i+1 < len(ref) && ref[i] != ref[i+1] {
				typed := ref[:i] + ref[i+1:i+2] + ref[i:i+1] + ref[i+2:]
				if _, err := ParseReference(typed); !errors.Is(err, ErrReferenceTypo) {
					t.Fatalf("%s typed as %s: %v, want a typo", ref, typed, err)
				}
			}
		}
		for _, typed := range []string{ref[1:], ref + "A"} { // a character left out or added
			if _, err := ParseReference(typed); !errors.Is(err, ErrReferenceTypo) {
				t.Fatalf("%s typed as %s: %v, want a typo", ref, typed, err)
			}
		}
	}
}

func TestParseReferenceRefusals(t *testing.T) {
	for text, want := range map[string]error{
		"":                                  ErrNotAReference,
		"Pop":                               ErrNotAReference,
		"Nimeni":                            ErrNotAReference, // two characters short of a reference
		"ABCDEFGHIJK":                       ErrNotAReference, // between the lengths
		"ABCDEFG":                           ErrReferenceTypo, // one short
		"Popescu Ana Maria":                 ErrNotAReference, // O is not a digit
		"https://example.com":               ErrNotAReference,
		"ABCD-EFG0":                         ErrNotAReference, // 0 is not a digit
		"ȘTEFAN TIRLEA":                     ErrNotAReference,
		"BALAN ANA":                         ErrReferenceTypo, // the alphabet, the length: a typo, unless a name matches (store/desk)
		strings.Repeat("A", MaxReference+2): ErrNotAReference,
	} {
		if _, err := ParseReference(text); !errors.Is(err, want) {
			t.Errorf("ParseReference(%q): %v, want %v", text, err, want)
		}
	}
}

// TestReferenceNotIssued: a reference that checks but that this office
// never wrote (a longer spelling of a small ID) stands for no booking.
func TestReferenceNotIssued(t *testing.T) {
	ref := spell(officeKey(refOffice).permute(5, 40), 8) // booking 5 in 9 characters, not 8
	if _, err := ParseReference(ref); err != nil {
		t.Fatal(err)
	}
	if id, ok := ReferenceBooking(refOffice, ref); ok {
		t.Fatalf("ReferenceBooking(%s) = %d, true", ref, id)
	}
}

// TestReferenceKeyboardLayouts types references through the keyboard
// layouts of layout_test.go, with Caps Lock on and off.
func TestReferenceKeyboardLayouts(t *testing.T) {
	var refs []string
	seen := map[rune]bool{}
	for id := uint64(2026112300); len(seen) < len(alphabet); id++ {
		ref := Reference(refOffice, id)
		refs = append(refs, ref)
		for _, r := range ref {
			seen[r] = true
		}
	}
	for _, l := range layouts {
		for _, caps := range []bool{false, true} {
			for _, ref := range refs {
				typed := l.typeThrough(ref, caps)
				if got, err := ParseReference(typed); err != nil || got != ref {
					t.Fatalf("%s, Caps Lock %v: %s arrived as %s: %s, %v", l.name, caps, ref, typed, got, err)
				}
			}
		}
	}
}

func BenchmarkReference(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Reference(refOffice, uint64(i))
	}
}

// FuzzParseReference: any text is read without panicking, and a reference
// that stands for a booking is the one Reference writes for it.
func FuzzParseReference(f *testing.F) {
	for _, s := range []string{Reference(refOffice, 2026112302), Reference(refOffice, 1<<40), "BALAN ANA", "ab-cd ef", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ref, err := ParseReference(text)
		if err != nil {
			return
		}
		if id, ok := ReferenceBooking(refOffice, ref); ok && Reference(refOffice, id) != ref {
			t.Fatalf("%q reads as booking %d, whose reference is %s", text, id, Reference(refOffice, id))
		}
	})
}
