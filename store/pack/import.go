package pack

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/archive"
)

// Limits for a pack: a national 30-day window of a million bookings fits.
var Limits = archive.Limits{Entries: 8, EntrySize: 1 << 30, TotalSize: 2 << 30}

// largePack is the size of bookings.jsonl (about 40,000 bookings) above
// which the day index is rebuilt rather than grown.
const largePack = 10 << 20

// Refusal is why a pack was not imported. Key names the reason (the
// translation key is "pack."+Key) and Args its details.
type Refusal struct {
	Key  string
	Args map[string]string
	Err  error
}

func (r *Refusal) Error() string {
	s := "pack refused: " + r.Key
	for k, v := range r.Args {
		s += fmt.Sprintf(" %s=%s", k, v)
	}
	if r.Err != nil {
		s += ": " + r.Err.Error()
	}
	return s
}

func (r *Refusal) Unwrap() error { return r.Err }

func refuse(key string, err error, args ...string) *Refusal {
	r := &Refusal{Key: key, Args: map[string]string{}, Err: err}
	for i := 0; i+1 < len(args); i += 2 {
		r.Args[args[i]] = args[i+1]
	}
	return r
}

// Progress reports how many bytes of bookings were read of how many.
type Progress func(done, total int64)

// Import verifies the pack at path and installs it into db, all or nothing.
// Nothing is written unless the archive unpacks within the limits, the
// manifest's signature verifies with a key db trusts, every file matches
// its hash, the office is db's office, the sequence number is not older
// than the installed one and every line is well-formed.
func Import(ctx context.Context, db *store.DB, path string, progress Progress) (Manifest, error) {
	dir, err := os.MkdirTemp("", "ghiseu-pack-")
	if err != nil {
		return Manifest{}, err
	}
	defer os.RemoveAll(dir)
	entries, err := archive.Unpack(path, dir, Limits)
	if err != nil {
		return Manifest{}, unpackRefusal(err)
	}
	files := map[string]archive.Entry{}
	for _, e := range entries {
		files[e.Name] = e
	}
	keys, err := db.Keyring(ctx)
	if err != nil {
		return Manifest{}, err
	}
	m, err := verify(files, keys)
	if err != nil {
		return m, err
	}
	if err := checkAgainst(ctx, db, m); err != nil {
		return m, err
	}
	c, err := read(files, m)
	if err != nil {
		return m, err
	}
	c.Bookings = func(put func(store.Booking) error) error {
		return eachBooking(files[FileBookings].Path, m, progress, put)
	}
	c.Large = files[FileBookings].Size > largePack
	if err := db.InstallPack(ctx, c); err != nil {
		var r *Refusal
		if errors.As(err, &r) {
			return m, r
		}
		return m, fmt.Errorf("install pack %d of %s: %w", m.Sequence, m.Office, err)
	}
	return m, nil
}

func unpackRefusal(err error) error {
	for key, e := range map[string]error{"format": archive.ErrFormat, "rar5": archive.ErrRAR5,
		"too_large": archive.ErrTooLarge, "unsafe_name": archive.ErrName, "damaged": archive.ErrCorrupt} {
		if errors.Is(err, e) {
			return refuse(key, err)
		}
	}
	return refuse("unreadable", err)
}

// verify checks the manifest's signature and every file's hash.
func verify(files map[string]archive.Entry, keys rescode.Keyring) (Manifest, error) {
	var m Manifest
	manifest, err := readSmall(files, FileManifest)
	if err != nil {
		return m, err
	}
	sigText, err := readSmall(files, FileSignature)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return m, refuse("bad_manifest", err)
	}
	if m.Format != Format {
		return m, refuse("format_version", nil, "version", fmt.Sprint(m.Format))
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sigText)))
	key, ok := findKey(keys, m.KeyID)
	switch {
	case !ok:
		return m, refuse("unknown_key", nil, "key", fmt.Sprint(m.KeyID))
	case err != nil || !ed25519.Verify(key, append([]byte(signContext), manifest...), sig):
		return m, refuse("bad_signature", err)
	}
	for name := range files {
		if name != FileManifest && name != FileSignature && m.Files[name] == "" {
			return m, refuse("unlisted_file", nil, "file", name)
		}
	}
	for _, name := range contentFiles {
		e, ok := files[name]
		switch {
		case !ok || m.Files[name] == "":
			return m, refuse("missing_file", nil, "file", name)
		case e.SHA256 != m.Files[name]:
			return m, refuse("bad_hash", nil, "file", name)
		}
	}
	return m, nil
}

func findKey(keys rescode.Keyring, id uint8) (ed25519.PublicKey, bool) {
	for _, k := range keys {
		if k.ID == id && len(k.Public) == ed25519.PublicKeySize {
			return k.Public, true
		}
	}
	return nil, false
}

// readSmall reads a file of at most 1 MiB.
func readSmall(files map[string]archive.Entry, name string) ([]byte, error) {
	e, ok := files[name]
	if !ok {
		return nil, refuse("missing_file", nil, "file", name)
	}
	if e.Size > 1<<20 {
		return nil, refuse("too_large", nil, "file", name)
	}
	return os.ReadFile(e.Path)
}

// checkAgainst compares the pack with what the counter has installed.
func checkAgainst(ctx context.Context, db *store.DB, m Manifest) error {
	cal, _, err := db.Office(ctx)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	case cal.Office != m.Office:
		return refuse("wrong_office", nil, "pack", m.Office, "counter", cal.Office)
	}
	seq, err := db.PackSequence(ctx)
	if err != nil {
		return err
	}
	if m.Sequence < seq {
		return refuse("older", nil, "pack", fmt.Sprint(m.Sequence), "installed", fmt.Sprint(seq))
	}
	return nil
}

// read loads the small files into what InstallPack takes.
func read(files map[string]archive.Entry, m Manifest) (store.PackContents, error) {
	c := store.PackContents{Sequence: m.Sequence}
	var office Office
	if err := readJSON(files, FileOffice, &office); err != nil {
		return c, err
	}
	if err := office.Calendar.Validate(); err != nil || office.Calendar.Office != m.Office {
		return c, refuse("bad_content", err, "file", FileOffice)
	}
	c.Office, c.Fees = office.Calendar, office.Fees
	var keys []Key
	if err := readJSON(files, FileKeys, &keys); err != nil {
		return c, err
	}
	var err error
	if c.Keys, err = Keyring(keys); err != nil {
		return c, refuse("bad_content", err, "file", FileKeys)
	}
	if c.Cancelled, err = readRefs(files[FileCancelled].Path, FileCancelled); err != nil {
		return c, err
	}
	c.Revoked, err = readRefs(files[FileRevoked].Path, FileRevoked)
	return c, err
}

func readJSON(files map[string]archive.Entry, name string, v any) error {
	data, err := readSmall(files, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return refuse("bad_content", err, "file", name)
	}
	return nil
}

func readRefs(path, name string) ([]string, error) {
	var ids []string
	err := eachLine(path, nil, func(line []byte) error {
		var r Ref
		if err := json.Unmarshal(line, &r); err != nil || r.ID == "" {
			return fmt.Errorf("no booking ID")
		}
		ids = append(ids, r.ID)
		return nil
	})
	if err != nil {
		return nil, refuse("bad_content", err, "file", name)
	}
	return ids, nil
}

// eachBooking streams bookings.jsonl, checking every line. Lines are parsed
// on another goroutine (another core) while put stores the previous ones.
func eachBooking(path string, m Manifest, progress Progress, put func(store.Booking) error) error {
	from, _ := time.Parse(time.DateOnly, m.From)
	to, _ := time.Parse(time.DateOnly, m.To)
	to = to.AddDate(0, 0, 2) // the last day, in any time zone
	batches := make(chan []store.Booking, 4)
	stop := make(chan struct{})
	parsed := make(chan error, 1)
	go func() {
		defer close(batches)
		n := 0
		batch := make([]store.Booking, 0, 1024)
		err := eachLine(path, progress, func(line []byte) error {
			n++
			var p Booking
			if err := json.Unmarshal(line, &p); err != nil {
				return err
			}
			b := store.Booking{ID: p.ID, Office: m.Office, SlotStart: p.SlotStart, SlotMinutes: p.SlotMinutes,
				Kind: store.Kind(p.Kind), Name: p.Name, Reason: p.Reason, BirthDate: p.BirthDate,
				ReadyOn: p.ReadyOn, Status: store.Status(p.Status), Day: p.SlotStart.Format(time.DateOnly)}
			if err := check(b, from, to); err != nil {
				return err
			}
			if batch = append(batch, b); len(batch) == cap(batch) {
				select {
				case batches <- batch:
				case <-stop:
					return errStopped
				}
				batch = make([]store.Booking, 0, 1024)
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			batches <- batch
		}
		if err != nil && !errors.Is(err, errStopped) {
			err = refuse("bad_booking", err, "file", FileBookings, "line", fmt.Sprint(n))
		}
		parsed <- err
	}()
	for batch := range batches {
		for _, b := range batch {
			if err := put(b); err != nil {
				close(stop)
				for range batches {
				}
				<-parsed
				return err
			}
		}
	}
	return <-parsed
}

var errStopped = errors.New("stopped")

func check(b store.Booking, from, to time.Time) error {
	switch {
	case b.ID == "":
		return errors.New("no ID")
	case b.Kind != store.Intake && b.Kind != store.Pickup:
		return fmt.Errorf("kind %q", b.Kind)
	case b.SlotMinutes <= 0:
		return errors.New("no slot length")
	case b.SlotStart.Before(from.AddDate(0, 0, -1)) || b.SlotStart.After(to):
		return errors.New("slot outside the pack's days")
	}
	switch b.Status {
	case "", store.Confirmed, store.Cancelled, store.Replaced, store.WalkIn:
		return nil
	}
	return fmt.Errorf("status %q", b.Status)
}

// eachLine calls fn for every non-empty line of a file.
func eachLine(path string, progress Progress, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var done, reported int64
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		done += int64(len(line)) + 1
		if len(line) == 0 {
			continue
		}
		if err := fn(line); err != nil {
			return err
		}
		if progress != nil && done-reported >= 1<<20 {
			progress(done, st.Size())
			reported = done
		}
	}
	if progress != nil {
		progress(st.Size(), st.Size())
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// Explain words an import error for the clerk, in l.
func Explain(l i18n.Lang, err error) string {
	var r *Refusal
	if errors.As(err, &r) {
		return i18n.T(l, "pack.refused", map[string]string{"why": i18n.T(l, "pack."+r.Key, r.Args)})
	}
	return i18n.T(l, "pack.refused", map[string]string{"why": err.Error()})
}
