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

	"github.com/ghiseu/ghiseu/assets/i18n"
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
	personHashVersion    = "2" // 2: the name's words in order, punctuation aside
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
// "Popescu Maria" is "Maria-Popescu.") and the birth date. Without the
// secret a hash cannot be tested against guessed birth dates.
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

// personName is the name as the person hash reads it: folded (i18n.Fold),
// its words split at anything but a letter and sorted.
func personName(name string) string {
	words := strings.FieldsFunc(i18n.Fold(name), func(r rune) bool { return !unicode.IsLetter(r) })
	slices.Sort(words)
	return strings.Join(words, " ")
}

// ErrBadName: a name the booking system takes is letters of one script
// (Romanian names: Latin, with ș ț ă î â and the other Latin letters),
// with spaces, hyphens, apostrophes and dots between them: no digits, no
// links, no invisible characters.
var ErrBadName = errors.New("a name is letters (of one script), spaces, hyphens, apostrophes and dots, 2 to 100 characters")

// checkName refuses a name that is not a person's: it goes into the
// office's e-mails and onto the counters' screens.
func checkName(name string) error {
	letters, script := 0, ""
	if n := utf8.RuneCountInString(name); n < 2 || n > 100 {
		return ErrBadName
	}
	for _, r := range name {
		switch {
		case unicode.IsLetter(r):
			letters++
			s := scriptOf(r)
			if script != "" && s != script {
				return ErrBadName
			}
			script = s
		case unicode.Is(unicode.Mn, r): // a combining mark (a decomposed ș)
		case r == ' ' || r == '-' || r == '\'' || r == '.' || r == '’':
		default:
			return ErrBadName
		}
	}
	if letters < 2 {
		return ErrBadName
	}
	return nil
}

// scriptOf names the script of a letter, for checkName.
func scriptOf(r rune) string {
	for _, s := range []struct {
		name  string
		table *unicode.RangeTable
	}{{"Latin", unicode.Latin}, {"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek}} {
		if unicode.Is(s.table, r) {
			return s.name
		}
	}
	return "other"
}
