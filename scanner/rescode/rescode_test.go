package rescode

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	testKey  = ed25519.NewKeyFromSeed(make([]byte, 32))
	otherKey = ed25519.NewKeyFromSeed([]byte("another booking system key, 32by"))
	testRing = Keyring{{ID: 7, Public: testKey.Public().(ed25519.PublicKey),
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}}
	testClaims = Claims{Version: 1, KeyID: 7, BookingID: 1234567890123, Office: "TM-DUMBRAVITA",
		SlotStart: time.Date(2026, 11, 25, 8, 20, 0, 0, time.UTC), SlotMinutes: 20, Kind: Intake}
)

func issue(t testing.TB, key ed25519.PrivateKey, c Claims) string {
	t.Helper()
	code, err := Issue(key, c)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestRoundTrip(t *testing.T) {
	code := issue(t, testKey, testClaims)
	got, err := Parse(code, testRing)
	if err != nil {
		t.Fatal(err)
	}
	if got != testClaims {
		t.Fatalf("got %+v\nwant %+v", got, testClaims)
	}
	for _, r := range code {
		if !strings.ContainsRune(Prefix+alphabet, r) {
			t.Fatalf("code %s has %q outside the alphabet", code, r)
		}
	}
}

func TestRefusals(t *testing.T) {
	code := issue(t, testKey, testClaims)
	late := testClaims
	late.SlotStart = time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	unknown := testClaims
	unknown.KeyID = 9
	// flip changes one character of the body to another digit of the alphabet.
	flip := func(i int) string {
		b := []byte(code)
		b[i] = alphabet[(strings.IndexByte(alphabet, b[i])+1)%len(alphabet)]
		return string(b)
	}
	tests := []struct {
		name string
		text string
		want error
	}{
		{"empty", "", ErrNotACode},
		{"a URL", "https://programare-cei.example/rezervare?id=5", ErrNotACode},
		{"prefix only", "GH", ErrNotACode},
		{"zero is not a digit", code[:10] + "0" + code[11:], ErrNotACode},
		{"truncated by one", code[:len(code)-1], ErrTruncated},
		{"truncated by eight", code[:len(code)-8], ErrTruncated},
		{"half a code", code[:len(code)/2], ErrTruncated},
		{"payload altered", flip(12), ErrForged},
		{"signature altered", flip(len(code) - 5), ErrForged},
		{"signed by someone else", issue(t, otherKey, testClaims), ErrForged},
		{"unknown key", issue(t, otherKey, unknown), ErrUnknownKey},
		{"key not valid for the slot", issue(t, testKey, late), ErrKeyExpired},
		{"future version", "GH" + encode(append([]byte{2}, make([]byte, 90)...)), ErrVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.text, testRing)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error %v, want %v", err, tt.want)
			}
			if c != (Claims{}) {
				t.Fatalf("refused code returned claims %+v", c)
			}
		})
	}
}

func TestEveryAlterationIsRefused(t *testing.T) {
	code := issue(t, testKey, testClaims)
	for i := len(Prefix); i < len(code); i++ {
		for _, d := range alphabet {
			if byte(d) == code[i] {
				continue
			}
			altered := code[:i] + string(d) + code[i+1:]
			if _, err := Parse(altered, testRing); err == nil {
				t.Fatalf("altered code accepted: position %d to %c", i, d)
			}
		}
	}
}

func TestHumanTyping(t *testing.T) {
	code := issue(t, testKey, testClaims)
	var grouped strings.Builder
	for i, r := range strings.ToLower(code) {
		if i > 0 && i%6 == 0 {
			grouped.WriteString([]string{" ", "-"}[i/6%2])
		}
		grouped.WriteRune(r)
	}
	if _, err := Parse("  "+grouped.String()+"\n", testRing); err != nil {
		t.Fatalf("grouped lower-case code refused: %v", err)
	}
}

func TestKeyRotation(t *testing.T) {
	oldPub, newPub := testKey.Public().(ed25519.PublicKey), otherKey.Public().(ed25519.PublicKey)
	switchover := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ring := Keyring{
		{ID: 1, Public: oldPub, From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Until: switchover},
		{ID: 2, Public: newPub, From: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
	}
	oldCode := testClaims
	oldCode.KeyID = 1
	oldCode.SlotStart = time.Date(2026, 12, 30, 9, 0, 0, 0, time.UTC)
	newCode := oldCode
	newCode.KeyID = 2
	newCode.SlotStart = time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		key ed25519.PrivateKey
		c   Claims
	}{{testKey, oldCode}, {otherKey, newCode}} {
		if _, err := Parse(issue(t, tc.key, tc.c), ring); err != nil {
			t.Errorf("key %d, slot %v: %v", tc.c.KeyID, tc.c.SlotStart, err)
		}
	}
	stale := oldCode
	stale.SlotStart = newCode.SlotStart
	if _, err := Parse(issue(t, testKey, stale), ring); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("old key after its period: %v", err)
	}
}

func TestIssueRefusesBadClaims(t *testing.T) {
	for name, mutate := range map[string]func(*Claims){
		"long office":     func(c *Claims) { c.Office = strings.Repeat("X", MaxOffice+1) },
		"empty office":    func(c *Claims) { c.Office = "" },
		"non-ASCII":       func(c *Claims) { c.Office = "DUMBRĂVIȚA" },
		"zero slot":       func(c *Claims) { c.SlotMinutes = 0 },
		"bad kind":        func(c *Claims) { c.Kind = 9 },
		"before 1970":     func(c *Claims) { c.SlotStart = time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC) },
		"after year 9999": func(c *Claims) { c.SlotStart = time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC) },
	} {
		c := testClaims
		mutate(&c)
		if _, err := Issue(testKey, c); err == nil {
			t.Errorf("%s: issued", name)
		}
	}
}

func TestBase32(t *testing.T) {
	for n := 0; n < 40; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*37 + n)
		}
		got, ok, exact := decode(encode(b))
		if !ok || !exact || string(got) != string(b) {
			t.Fatalf("%d bytes: round trip gave %v, %v, %v", n, got, ok, exact)
		}
	}
	if _, _, exact := decode("12"); exact { // 10 bits: 2 left over must be zero, "2" sets one
		t.Fatal("non-zero padding accepted")
	}
	if _, ok, _ := decode("1O"); ok {
		t.Fatal("O accepted as a digit")
	}
}

// TestWhole: a scanned code, even one signed by an unknown key, is whole; a
// word a person might choose as a password is not, even one starting with
// the codes' prefix.
func TestWhole(t *testing.T) {
	code := issue(t, testKey, testClaims)
	forged := issue(t, otherKey, testClaims)
	for text, want := range map[string]bool{
		code: true, strings.ToLower(code): true, forged: true, code[:len(code)/2]: false,
		"ghicit-0": false, "GH": false, "supervizor": false, "GHISEU-2026": false, "": false,
	} {
		if got := Whole(text); got != want {
			t.Errorf("Whole(%.20q…) = %v, want %v", text, got, want)
		}
	}
}
