package hub

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
)

// TestRealNames: names as identity cards and passports print them, with
// Romanian diacritics (comma below and the older cedilla), the letters of
// other European names, Vietnamese marks and the punctuation of names.
func TestRealNames(t *testing.T) {
	for _, name := range []string{
		"Ștefan Popescu",
		"Ţepeş Vlad",       // cedilla, as older keyboards type it
		"Țepeș Vlad",       // comma below
		"s\u0326tefan Pop", // a decomposed ș
		"Müller Hans",
		"Łukasz Żółć",
		"Øyvind Ødegård",
		"O'Brien Seán",
		"O’Brien Seán",
		"Ana-Maria Ionescu",
		"Sâncrăian Ilie",
		"Íñigo Muñoz",
		"Gyöngyi Kovács",
		"Petőfi Sándor",
		"Jean-Luc D. Dupré",
		"Strauß Johann",
		"Đorđević Ðorðe",
		"Guðrún Þórsdóttir",
		"Yıldız İlhan",
		"Ægir Cœur",
		"Nguyễn Thị Ánh",
		"'t Hooft Gerard",
		"Io",
		"Ana Maria Elena Popescu-Ionescu de la Vale",
		"Ion D. Pop",
		"Pop Ion Jr.",
		strings.Repeat("a", 100),
	} {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v, want nil", name, err)
		}
	}
}

// TestBadNames: what is not a name, or hides something in one.
func TestBadNames(t *testing.T) {
	for _, tc := range []struct{ why, name string }{
		{"one letter", "I"},
		{"one letter and a dot", "I."},
		{"no letter", "- '."},
		{"too long", strings.Repeat("a", 101)},
		{"a digit", "Ion Pop 2"},
		{"a link", "Ion. URGENT: plata la https://x.example/card"},
		{"an address", "ana@pop"},
		{"a tag", "Ana <b>Pop</b>"},
		{"a tab", "Ana\tPop"},
		{"a no-break space", "Ana\u00a0Pop"},
		{"not UTF-8", "Ana \xffPop"},
		{"Cyrillic", "Иван Петров"},
		{"Greek", "Γιώργος Παπαδόπουλος"},
		{"Han", "王小明"},
		{"a mark first", "\u0301Ana Pop"},
		{"a mark after a space", "Ana \u0301Pop"},
		{"a mark after a hyphen", "Ana-\u0301Pop"},
		{"three marks on a letter", "Ana\u0301\u0300\u0302 Pop"},
		{"one mark twice", "Ana\u0301\u0301 Pop"},
		{"a web address", "Achitati taxa urgent pe www.ghiseu-plati.ro"},
		{"a dot inside a word", "Ana.Pop"},
		{"a sentence for a name", "Plătiți taxa azi la ghișeul din strada Mare"},
	} {
		if err := CheckName(tc.name); !errors.Is(err, ErrBadName) {
			t.Errorf("%s: CheckName(%q) = %v, want ErrBadName", tc.why, tc.name, err)
		}
	}
}

// TestLookAlikesAndInvisibles: every name a clerk reads as "Maria Popescu"
// or "O'Brien Ana" is refused, or folds to the same person hash as it, so
// that one person cannot book twice by writing their name with other
// characters.
func TestLookAlikesAndInvisibles(t *testing.T) {
	const refused, same = "refused", "same"
	key := bytes.Repeat([]byte{7}, 32)
	for _, tc := range []struct{ why, name, twin, want string }{
		// Latin look-alikes.
		{"dotless ı U+0131", "Marıa Popescu", "Maria Popescu", same},
		{"dotless ı with a dot above", "Mar\u0131\u0307a Popescu", "Maria Popescu", same},
		{"i with a dot above", "Mari\u0307a Popescu", "Maria Popescu", same},
		{"ɑ U+0251", "M\u0251ria Popescu", "Maria Popescu", refused},
		{"small capital ᴍ U+1D0D", "\u1d0daria Popescu", "Maria Popescu", refused},
		{"saltillo ꞌ U+A78C", "O\ua78cBrien Ana", "O'Brien Ana", refused},
		{"modifier apostrophe ʼ U+02BC", "O\u02bcBrien Ana", "O'Brien Ana", refused},
		{"right quote ’", "O’Brien Ana", "O'Brien Ana", same},
		{"long s ſ U+017F", "Maria Popeſcu", "Maria Popescu", refused},
		{"dental click ǀ U+01C0", "Maria Popescu \u01c0on", "Maria Popescu Ion", refused},
		{"script ℓ U+2113", "Maria Popescu I\u2113ie", "Maria Popescu Ilie", refused},
		{"Kelvin sign U+212A", "Maria Popescu \u212Aatalin", "Maria Popescu Katalin", refused},
		{"ångström sign U+212B", "\u212Bsa Popescu", "Åsa Popescu", refused},
		{"fullwidth", "Ｍaria Popescu", "Maria Popescu", refused},
		{"mathematical bold", "𝐌aria Popescu", "Maria Popescu", refused},
		{"Cyrillic М", "\u041caria Popescu", "Maria Popescu", refused},
		{"Cyrillic а", "M\u0430ria Popescu", "Maria Popescu", refused},
		{"Greek ο", "Maria P\u03bfpescu", "Maria Popescu", refused},
		{"a hyphen U+2010", "Maria\u2010Popescu", "Maria-Popescu", refused},
		{"a stroke overlay on l", "L\u0335ukasz Nowak", "Łukasz Nowak", refused},
		{"ł", "Łukasz Nowak", "Lukasz Nowak", same},
		{"ø", "Øyvind Berg", "Oyvind Berg", same},
		{"ß", "Strauß Johann", "Strauss Johann", same},
		{"capital ẞ", "STRAUẞ JOHANN", "Strauss Johann", same},
		{"đ and ð", "Đorđe Ðorðević", "Dorde Dordevic", same},
		{"þ", "Þór Ólafsson", "Thor Olafsson", same},
		{"æ", "Ægir Berg", "Aegir Berg", same},
		{"œ", "Cœur Anne", "Coeur Anne", same},
		{"cedilla and comma below", "Ţepeş Vlad", "Țepeș Vlad", same},
		{"decomposed and composed", "S\u0326tefan Pop", "Ștefan Pop", same},
		// Invisible and stacked marks.
		{"grapheme joiner U+034F", "Mari\u034fa Popescu", "Maria Popescu", refused},
		{"variation selector U+FE0F", "Maria\ufe0f Popescu", "Maria Popescu", refused},
		{"U+0336 once", "Mari\u0336a Popescu", "Maria Popescu", refused},
		{"U+0336 stacked", "Mari" + strings.Repeat("\u0336", 20) + "a Popescu", "Maria Popescu", refused},
		{"acute stacked", "Mari" + strings.Repeat("\u0301", 20) + "a Popescu", "Maria Popescu", refused},
		{"Cyrillic titlo U+0483", "Mari\u0483a Popescu", "Maria Popescu", refused},
		{"combining letter a above U+0363", "Mari\u0363a Popescu", "Maria Popescu", refused},
		{"zero-width space", "Maria Popescu\u200b", "Maria Popescu", refused},
		{"zero-width non-joiner", "Mar\u200cia Popescu", "Maria Popescu", refused},
		{"zero-width joiner", "Mar\u200dia Popescu", "Maria Popescu", refused},
		{"word joiner", "Mar\u2060ia Popescu", "Maria Popescu", refused},
		{"byte order mark", "\ufeffMaria Popescu", "Maria Popescu", refused},
		{"soft hyphen", "Mar\u00adia Popescu", "Maria Popescu", refused},
		{"right-to-left override", "Maria \u202eucsepoP", "Maria Popescu", refused},
		{"tag letter", "Maria Popescu\U000E0041", "Maria Popescu", refused},
	} {
		if err := CheckName(tc.twin); err != nil {
			t.Fatalf("%s: the twin %q is refused: %v", tc.why, tc.twin, err)
		}
		err := CheckName(tc.name)
		switch tc.want {
		case refused:
			if !errors.Is(err, ErrBadName) {
				t.Errorf("%s: CheckName(%q) = %v, want ErrBadName", tc.why, tc.name, err)
			}
		case same:
			if err != nil {
				t.Errorf("%s: CheckName(%q) = %v, want nil", tc.why, tc.name, err)
			}
			if a, b := personHash(key, tc.name, "1990-01-01"), personHash(key, tc.twin, "1990-01-01"); a != b {
				t.Errorf("%s: %q reads %q, %q reads %q: two persons", tc.why, tc.name, personName(tc.name), tc.twin, personName(tc.twin))
			}
		}
	}
}

// TestOtherNamesStayOther: the skeleton does not make two names one.
func TestOtherNamesStayOther(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	for _, tc := range [][2]string{
		{"Ana Pop", "Ana Popa"},
		{"Ion Pop", "Ioan Pop"},
		{"Anamaria Pop", "Ana-Maria Pop"},
		{"Lukasz Nowak", "Lucas Nowak"},
		{"Thor Berg", "Tor Berg"},
	} {
		if personHash(key, tc[0], "1990-01-01") == personHash(key, tc[1], "1990-01-01") {
			t.Errorf("%q and %q are one person", tc[0], tc[1])
		}
	}
	if personHash(key, "Ana Pop", "1990-01-01") == personHash(key, "Ana Pop", "1990-01-02") {
		t.Error("two birth dates are one person")
	}
}

// personNameV2 is personName as hashes of form 2 read it, for
// TestRehashOnNewForm.
func personNameV2(name string) string {
	words := strings.FieldsFunc(i18n.Fold(name), func(r rune) bool { return !unicode.IsLetter(r) })
	slices.Sort(words)
	return strings.Join(words, " ")
}

// TestRehashOnNewForm: a hub whose hashes are of form 2 makes them again
// at its first request, so a booking made as "Marıa Popescu" (a different
// person in form 2) holds "Maria Popescu" back.
func TestRehashOnNewForm(t *testing.T) {
	ctx := context.Background()
	loc := calendar.Default().Location()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	h := newHub(t, &now)
	slot := time.Date(2026, 11, 23, 8, 30, 0, 0, loc)
	dotless := BookingRequest{Name: "Marıa Popescu", BirthDate: "1985-03-03", Reason: "expiry", Kind: store.Intake, Slot: slot}
	token, _, err := h.Request(ctx, dotless)
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Confirm(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	key, err := h.personKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if personNameV2(dotless.Name) == personNameV2("Maria Popescu") {
		t.Fatal("form 2 read the dotless ı as i: this test tests nothing")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(personNameV2(dotless.Name) + "|" + dotless.BirthDate))
	m := hex.EncodeToString(mac.Sum(nil)[:16])
	if err := h.DB.SetPerson(ctx, b.ID, m); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.SetSetting(ctx, keyPersonHashVersion, "2"); err != nil {
		t.Fatal(err)
	}
	plain := dotless
	plain.Name, plain.Slot = "Maria Popescu", slot.Add(40*time.Minute)
	if _, _, err := h.Request(ctx, plain); !errors.Is(err, ErrPersonHasBooking) {
		t.Fatalf("Maria Popescu after Marıa Popescu booked under form 2: %v, want ErrPersonHasBooking", err)
	}
	if v, err := h.DB.Setting(ctx, keyPersonHashVersion); err != nil || v != personHashVersion {
		t.Errorf("form after the request: %q, %v; want %q", v, err, personHashVersion)
	}
	holds := func(who string) int {
		n, _, err := h.DB.Holds(ctx, who, slot, store.Intake, now)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The booking, and maybe the refused request (held silently so that
	// no answer tells who has a booking).
	if holds(m) != 0 || holds(personHash(key, "Maria Popescu", dotless.BirthDate)) < 1 {
		t.Errorf("form 2 hash holds %d, form %s hash %d", holds(m), personHashVersion,
			holds(personHash(key, "Maria Popescu", dotless.BirthDate)))
	}
}
