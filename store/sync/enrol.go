package sync

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/pack"
)

// Enrolment is everything a counter needs to recognise its hub, given to it
// out of band (typed or pasted by the person installing it): the hub's
// address, the counter's token, the SHA-256 of the hub's TLS certificate
// and the keys that sign the office's codes and packs. Nothing of it is
// ever learnt from the network.
type Enrolment struct {
	URL     string     `json:"url"`     // https://host:port
	Token   string     `json:"token"`   // this counter's secret
	Cert    string     `json:"cert"`    // SHA-256 of the hub's certificate, hex
	Office  string     `json:"office"`  // the office's ID
	Counter string     `json:"counter"` // the counter's number at the hub
	Keys    []pack.Key `json:"keys"`    // the booking system's public keys
}

// enrolPrefix starts every enrolment string; the number is its version.
const enrolPrefix = "ghiseu-enrol-1:"

// String is the enrolment as one line of text.
func (e Enrolment) String() string {
	data, _ := json.Marshal(e)
	return enrolPrefix + base64.RawURLEncoding.EncodeToString(data)
}

// ErrEnrolment says that a text is not a usable enrolment string.
var ErrEnrolment = errors.New("not a usable enrolment string")

var certForm = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseEnrolment reads an enrolment string (white space around it, and
// line breaks inside it from copying, are ignored).
func ParseEnrolment(s string) (Enrolment, error) {
	s = strings.Join(strings.Fields(s), "")
	rest, ok := strings.CutPrefix(s, enrolPrefix)
	if !ok {
		return Enrolment{}, fmt.Errorf("%w: it does not start with %s (what ghiseu-hub enroll prints)", ErrEnrolment, enrolPrefix)
	}
	data, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return Enrolment{}, fmt.Errorf("%w: %v", ErrEnrolment, err)
	}
	var e Enrolment
	if err := json.Unmarshal(data, &e); err != nil {
		return Enrolment{}, fmt.Errorf("%w: %v", ErrEnrolment, err)
	}
	return e, e.check()
}

func (e Enrolment) check() error {
	u, err := url.Parse(e.URL)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "":
		return fmt.Errorf("%w: the hub's address %q is not https://HOST:PORT", ErrEnrolment, e.URL)
	case e.Token == "" || e.Office == "" || e.Counter == "":
		return fmt.Errorf("%w: token, office or counter missing", ErrEnrolment)
	case !certForm.MatchString(e.Cert):
		return fmt.Errorf("%w: certificate fingerprint %q", ErrEnrolment, e.Cert)
	case len(e.Keys) == 0:
		return fmt.Errorf("%w: no signing key", ErrEnrolment)
	}
	if _, err := pack.Keyring(e.Keys); err != nil {
		return fmt.Errorf("%w: %v", ErrEnrolment, err)
	}
	return nil
}

// Settings keys of the sync: its own bookkeeping and the enrolment.
const (
	keyCursor    = "hub_cursor"
	keyPackTag   = "hub_pack_tag"
	keyEnrolment = "hub_enrolment"
	// keyPackRefused says why the hub's current pack was refused ("" when
	// it was not): the status keeps saying so until another pack comes.
	keyPackRefused = "hub_pack_refused"
)

// Link stores an enrolment: from the next sync on the counter talks to
// that hub only. A counter linked to another office must be reset first.
// A new hub of the same office (reinstalled: another certificate) is met
// as at a first contact: its keys, its event log and its packs are taken
// anew; the counter's own bookings and events stay.
func Link(ctx context.Context, db *store.DB, e Enrolment) error {
	if err := e.check(); err != nil {
		return err
	}
	old, ok, err := Linked(ctx, db)
	if err != nil {
		return err
	}
	linked, err := db.HubLinked(ctx)
	if err != nil {
		return err
	}
	if ok && linked && old.Office != e.Office {
		return fmt.Errorf("this counter serves office %s; a hub of office %s needs a new database", old.Office, e.Office)
	}
	if ok && linked && old.Cert != e.Cert {
		for _, k := range []string{keyCursor, keyPackTag, keyPackRefused} {
			if err := db.SetSetting(ctx, k, ""); err != nil {
				return err
			}
		}
		if err := db.ForgetHub(ctx); err != nil {
			return err
		}
	}
	if err := db.SetSetting(ctx, keyEnrolment, e.String()); err != nil {
		return err
	}
	return db.SetHubCounter(ctx, e.Counter)
}

// Linked reads the stored enrolment; ok is false when there is none.
func Linked(ctx context.Context, db *store.DB) (e Enrolment, ok bool, err error) {
	raw, err := db.Setting(ctx, keyEnrolment)
	if err != nil || raw == "" {
		return Enrolment{}, false, err
	}
	e, err = ParseEnrolment(raw)
	return e, err == nil, err
}
