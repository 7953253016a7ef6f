package hub

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Settings keys of the hub's own secrets, kept in its database (0600).
const (
	keyTLSCert   = "hub_tls_cert"
	keyTLSKey    = "hub_tls_key"
	keyPersonKey = "hub_person_key"
)

// TLS is the hub's TLS certificate, made by the hub itself the first time
// and kept: counters pin its SHA-256 (the second result, hex), which
// `ghiseu-hub enroll` puts in the enrolment string.
func (h *Hub) TLS(ctx context.Context) (tls.Certificate, string, error) {
	certPEM, err := h.DB.Setting(ctx, keyTLSCert)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	keyPEM, err := h.DB.Setting(ctx, keyTLSKey)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	if certPEM == "" || keyPEM == "" {
		if certPEM, keyPEM, err = h.makeCert(ctx); err != nil {
			return tls.Certificate{}, "", fmt.Errorf("make the hub's certificate: %w", err)
		}
	}
	cert, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("the hub's certificate: %w", err)
	}
	sum := sha256.Sum256(cert.Certificate[0])
	return cert, hex.EncodeToString(sum[:]), nil
}

// makeCert makes a self-signed ECDSA P-256 certificate valid for 30 years:
// its name does not matter, counters recognise it by its fingerprint.
func (h *Hub) makeCert(ctx context.Context) (string, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return "", "", err
	}
	now := h.now()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "Ghișeu hub"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(30, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	if err := h.DB.SetSetting(ctx, keyTLSKey, keyPEM); err != nil {
		return "", "", err
	}
	return certPEM, keyPEM, h.DB.SetSetting(ctx, keyTLSCert, certPEM)
}

// personHashVersion names the person hash's form; a hub that kept hashes
// of an older form makes them again at its first request (see person).
const (
	keyPersonHashVersion = "hub_person_hash_version"
	// 2: the name's words in order, punctuation aside. 3: the words'
	// skeletons (nameSkeleton): ı, ß, ø, æ, œ, ł, đ, ð, þ as the plain
	// letters a clerk reads, so a hash of version 2 of "Marıa" differed
	// from that of "Maria".
	personHashVersion = "3"
)

// personKey is the office's secret that keys the person hashes, made the
// first time (and then the hashes kept before it are made again with it,
// as they are when their form changes). Requests racing on a new hub agree
// on one key: the first one stored (store.DB.FirstSetting).
func (h *Hub) personKey(ctx context.Context) ([]byte, error) {
	raw, err := h.DB.Setting(ctx, keyPersonKey)
	if err != nil {
		return nil, err
	}
	newKey := raw == ""
	if newKey {
		fresh := make([]byte, 32)
		rand.Read(fresh)
		if raw, err = h.DB.FirstSetting(ctx, keyPersonKey, hex.EncodeToString(fresh)); err != nil {
			return nil, err
		}
	}
	key, err := hex.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("the office's person key: %w", err)
	}
	return key, h.rehash(ctx, key, newKey)
}

// rehash makes the kept person hashes again with key: always with a new
// key, else once a form.
func (h *Hub) rehash(ctx context.Context, key []byte, newKey bool) error {
	v, err := h.DB.Setting(ctx, keyPersonHashVersion)
	if err != nil || v == personHashVersion && !newKey {
		return err
	}
	n, err := h.DB.RehashPersons(ctx, func(name, birth string) string { return personHash(key, name, birth) })
	if err != nil {
		return fmt.Errorf("key the person hashes: %w", err)
	}
	if n > 0 {
		slog.Info("person hashes made again", "bookings", n, "form", personHashVersion)
	}
	return h.DB.SetSetting(ctx, keyPersonHashVersion, personHashVersion)
}

// person is how the hub recognises one person without keeping who they
// are: an HMAC, keyed with the office's secret, of the name's words (case,
// spaces, diacritics, hyphens, dots and the order of the words aside:
// "Popescu Maria" is "Maria-Popescu."; letters that are other letters with
// a stroke or a ligature read as those letters: "Łukasz" is "Lukasz",
// "Marıa" is "Maria") and the birth date. Without the secret a hash cannot
// be tested against guessed birth dates.
func (h *Hub) person(ctx context.Context, name, birth string) (string, error) {
	key, err := h.personKey(ctx)
	if err != nil {
		return "", err
	}
	return personHash(key, name, birth), nil
}

func personHash(key []byte, name, birth string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(personName(name) + "|" + birth))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// personName is the name as the person hash and Find read it: its
// skeleton (nameSkeleton), split into words at anything but a letter, the
// words sorted. It takes any string (names kept before checkName was as
// strict are hashed again with it).
func personName(name string) string {
	words := strings.FieldsFunc(nameSkeleton(name), func(r rune) bool { return !unicode.IsLetter(r) })
	slices.Sort(words)
	return strings.Join(words, " ")
}

// skeletonOf is what a letter of a name that does not decompose (NFD)
// reads as without its stroke or ligature, in lower case.
var skeletonOf = map[rune]string{
	'ı': "i", 'ß': "ss", 'ẞ': "ss", 'ø': "o", 'Ø': "o", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", '’': "'",
}

// nameSkeleton folds a name to the letters a clerk reads in it: decomposed
// (NFD), its combining marks dropped (ș, ş and s alike), lower case, and
// the letters of skeletonOf spelt as their plain letters, spaces
// collapsed. "  Ţepeş  ŁUKASZ" is "tepes lukasz".
func nameSkeleton(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if s, ok := skeletonOf[r]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// ErrBadName: a name the booking system takes is written in Latin letters
// (A to Z, with the accents and marks of European names, and ß ø æ œ ł đ ı
// ð þ), with spaces, hyphens, apostrophes and dots between them: no
// digits, no links, no invisible characters, no other script.
var ErrBadName = errors.New("a name is Latin letters (accents allowed), spaces, hyphens, apostrophes and dots, 2 to 100 characters")

// Names are checked against an allow-list, not a deny-list: Unicode has
// many letters that look like Latin ones (dotless ı is allowed and read
// as i, but ɑ U+0251, ᴍ U+1D0D, ꞌ U+A78C, Cyrillic а and Greek ο are not)
// and many marks that show nothing or pile up (U+034F, U+FE0F, U+0336
// twenty times, U+0483). Other scripts are refused, though the hub took
// Cyrillic and Greek names before: a Romanian identity card, a residence
// permit and a foreign passport's machine-readable line all print the name
// in Latin letters, which is what the clerk compares with; a name in
// another script would be one the clerk cannot match to the card, and its
// letters are exactly the look-alikes that let one person book twice.
const (
	maxNameLen   = 100 // characters, as typed
	maxNameMarks = 2   // combining marks on one letter (Vietnamese ệ has 2)
)

// nameLetters are the base letters a name may use besides A–Z and a–z:
// Latin letters of European names that do not decompose (NFD), each read
// as its skeletonOf. İ decomposes (I and a dot above) and needs no entry.
var nameLetters = map[rune]bool{
	'ß': true, 'ẞ': true, 'ø': true, 'Ø': true, 'æ': true, 'Æ': true, 'œ': true, 'Œ': true,
	'ł': true, 'Ł': true, 'đ': true, 'Đ': true, 'ı': true, 'ð': true, 'Ð': true, 'þ': true, 'Þ': true,
}

// nameMarks are the combining marks a name's letters may carry: those of
// the precomposed letters of European languages (and Vietnamese, whose
// names are common in Europe). Overlays (U+0334–U+0338), the grapheme
// joiner U+034F, marks above or below that no alphabet uses on a letter,
// and every mark outside U+0300–U+036F are refused.
var nameMarks = map[rune]bool{
	'̀': true, // grave: à è ò
	'́': true, // acute: á é í ó ú ő
	'̂': true, // circumflex: â î ê ô
	'̃': true, // tilde: ã ñ õ
	'̄': true, // macron: ā ē ī ū
	'̆': true, // breve: ă ğ
	'̇': true, // dot above: ż ė İ
	'̈': true, // diaeresis: ä ö ü ë ï
	'̉': true, // hook above: ả (Vietnamese)
	'̊': true, // ring above: å ů
	'̋': true, // double acute: ő ű
	'̌': true, // caron: č š ž ř
	'̛': true, // horn: ơ ư (Vietnamese)
	'̣': true, // dot below: ạ ệ (Vietnamese)
	'̦': true, // comma below: ș ț
	'̧': true, // cedilla: ç ş ţ
	'̨': true, // ogonek: ą ę
}

// nameSeparator reports whether r may stand between a name's words: a
// space, a hyphen, an apostrophe (' or ’) or a full stop.
func nameSeparator(r rune) bool {
	return r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.'
}

// nameLetter reports whether r is a base letter a name may use.
func nameLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || nameLetters[r]
}

// CheckName refuses a name that is not a person's as an identity card
// prints it (ErrBadName): it goes into the office's e-mails and onto the
// counters' screens, and its person hash must not tell apart two names a
// clerk reads as one. Every character, decomposed (NFD), must be a letter
// of nameLetter, a separator, or a mark of nameMarks on a letter, at most
// maxNameMarks of them and no mark twice; a character that is only a
// stand-in for another (the Kelvin sign for K, the ångström sign for Å:
// NFC changes it on its own) is refused. At least 2 letters, at most
// maxNameLen characters.
func CheckName(name string) error {
	if n := utf8.RuneCountInString(name); n < 2 || n > maxNameLen || !utf8.ValidString(name) {
		return ErrBadName
	}
	for _, r := range name {
		if s := string(r); !norm.NFC.IsNormalString(s) {
			return ErrBadName
		}
	}
	letters, onLetter := 0, false
	var marks []rune // the marks on the last letter
	for _, r := range norm.NFD.String(name) {
		switch {
		case nameLetter(r):
			letters, onLetter, marks = letters+1, true, marks[:0]
		case nameMarks[r]:
			if !onLetter || len(marks) == maxNameMarks || slices.Contains(marks, r) {
				return ErrBadName
			}
			marks = append(marks, r)
		case nameSeparator(r):
			onLetter = false
		default:
			return ErrBadName
		}
	}
	if letters < 2 || !nameShaped(name) {
		return ErrBadName
	}
	return nil
}

// maxNameWords is the most words a name has (given names, surnames and
// particles: "Ana Maria Elena Popescu-Ionescu de la Vale" is 6).
const maxNameWords = 7

// nameShaped reports whether a name has the shape of one: at most
// maxNameWords words, and a full stop only at a word's end (an initial,
// "Ion D. Pop"): the name goes into the office's own e-mails, where
// "plătiți pe www.exemplu.ro" must not pass for it.
func nameShaped(name string) bool {
	if len(strings.Fields(name)) > maxNameWords {
		return false
	}
	for i := range len(name) - 1 {
		if name[i] == '.' && name[i+1] != ' ' {
			return false
		}
	}
	return true
}
