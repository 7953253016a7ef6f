package pack

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/archive"
)

// Limits bound what a pack's archive may declare: a national 30-day
// window of a million bookings fits; 7z and solid RAR archives, which are
// decoded a whole block at a time in memory (7z) or from their start (RAR),
// hold at most 48 MiB, so that reading the manifest out of one costs at
// most 64 MB (larger packs travel as zip or tar, which the hub writes).
var Limits = archive.Limits{Entries: 64, Files: 8, FileSize: 1 << 30, TotalSize: 2 << 30, SolidSize: 48 << 20}

const (
	maxManifest = 64 << 10 // manifest.json and manifest.sig, each
	maxSmall    = 16 << 20 // office.json, keys.json, cancelled.jsonl and revoked.jsonl, each
)

// Refusal is why a pack was not imported. Key names the reason (the
// translation key is "pack."+Key) and Args its details.
type Refusal struct {
	Key  string
	Args map[string]string
	Err  error
}

func (r *Refusal) Error() string {
	s := "pack refused: " + r.Key
	keys := make([]string, 0, len(r.Args))
	for k := range r.Args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s += fmt.Sprintf(" %s=%s", k, r.Args[k])
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

// Progress reports how far an import is, in bytes of bookings read (each
// is read twice: to verify, then to install) of how many.
type Progress func(done, total int64)

// Import verifies the pack at path and installs it into db.
//
// First the archive's entries are listed and manifest.json and
// manifest.sig read (64 KiB each at most): the signature must verify with
// a key db trusts, the office must be db's and the sequence not older
// than the installed one. Then only the files the manifest lists are
// read, each refused if it declares or yields another length than the
// signed one, and hashed as it streams: every line of every file is
// checked, and nothing is written unless everything matches. Then the
// bookings are read once more and installed in short transactions, each
// batch compared with what was verified before it is written; the
// sequence number is recorded last. Nothing of the pack is ever written
// to disk but the database.
func Import(ctx context.Context, db *store.DB, path string, progress Progress) (Manifest, error) {
	keys, err := db.Keyring(ctx)
	if err != nil {
		return Manifest{}, err
	}
	m, err := readManifest(path, keys)
	if err != nil {
		return m, err
	}
	if err := checkAgainst(ctx, db, m); err != nil {
		return m, err
	}
	total := 2 * m.Files[FileBookings].Size
	v, err := verify(ctx, path, m, func(done int64) { report(progress, done, total) })
	if err != nil {
		return m, err
	}
	c, err := v.contents(m)
	if err != nil {
		return m, err
	}
	half := m.Files[FileBookings].Size
	c.Bookings = func(put func(store.Booking) error) error {
		return install(ctx, path, m, v.chunks, func(done int64) { report(progress, half+done, total) }, put)
	}
	if err := db.InstallPack(ctx, c); err != nil {
		return m, installRefusal(m, err)
	}
	report(progress, total, total)
	return m, nil
}

func report(p Progress, done, total int64) {
	if p != nil {
		p(done, total)
	}
}

// readManifest lists the archive and reads and verifies the manifest.
func readManifest(path string, keys rescode.Keyring) (Manifest, error) {
	var m Manifest
	small := map[string][]byte{}
	declared := map[string]int64{}
	err := archive.Walk(path, Limits, func(e archive.Entry, r io.Reader) error {
		declared[e.Base] = e.Size
		if e.Base != FileManifest && e.Base != FileSignature {
			return nil
		}
		data, err := readAtMost(r, e, maxManifest)
		small[e.Base] = data
		return err
	})
	if err != nil {
		return m, archiveRefusal(err)
	}
	for _, name := range []string{FileManifest, FileSignature} {
		if _, ok := small[name]; !ok {
			return m, refuse("missing_file", nil, "file", name)
		}
	}
	if err := verifySignature(small[FileManifest], small[FileSignature], keys, &m); err != nil {
		return m, err
	}
	return m, checkListing(m, declared)
}

// readAtMost reads an entry of at most max bytes, declared and read.
func readAtMost(r io.Reader, e archive.Entry, max int64) ([]byte, error) {
	if e.Size > max {
		return nil, refuse("too_large", nil, "file", e.Base)
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	switch {
	case err != nil:
		return nil, archiveRefusal(err)
	case int64(len(data)) > max:
		return nil, refuse("too_large", nil, "file", e.Base)
	}
	return data, nil
}

// verifySignature parses the manifest into m and checks its signature.
func verifySignature(manifest, sigText []byte, keys rescode.Keyring, m *Manifest) error {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.Unmarshal(manifest, &head); err != nil {
		return refuse("bad_manifest", err)
	}
	if head.Format != Format {
		return refuse("format_version", nil, "version", fmt.Sprint(head.Format), "want", fmt.Sprint(Format))
	}
	if err := json.Unmarshal(manifest, m); err != nil {
		return refuse("bad_manifest", err)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sigText)))
	key, ok := findKey(keys, m.KeyID)
	switch {
	case !ok:
		return refuse("unknown_key", nil, "key", fmt.Sprint(m.KeyID))
	case err != nil || !ed25519.Verify(key, append([]byte(signContext), manifest...), sig):
		return refuse("bad_signature", err)
	}
	return nil
}

func findKey(keys rescode.Keyring, id uint8) (ed25519.PublicKey, bool) {
	for _, k := range keys {
		if k.ID == id && len(k.Public) == ed25519.PublicKeySize {
			return k.Public, true
		}
	}
	return nil, false
}

// checkListing compares the archive's files, by their declared sizes,
// with the signed manifest, before any of them is read.
func checkListing(m Manifest, declared map[string]int64) error {
	for name := range declared {
		if _, ok := m.Files[name]; !ok && name != FileManifest && name != FileSignature {
			return refuse("unlisted_file", nil, "file", name)
		}
	}
	for name := range m.Files {
		if !slices.Contains(contentFiles, name) {
			return refuse("bad_manifest", fmt.Errorf("unknown file %s", name))
		}
	}
	for _, name := range contentFiles {
		f, listed := m.Files[name]
		size, present := declared[name]
		max := int64(maxSmall)
		if name == FileBookings {
			max = Limits.FileSize
		}
		switch {
		case !listed || !present:
			return refuse("missing_file", nil, "file", name)
		case f.Size < 0 || f.Size > max:
			return refuse("too_large", nil, "file", name)
		case size != f.Size:
			return refuse("bad_size", nil, "file", name, "size", fmt.Sprint(size), "signed", fmt.Sprint(f.Size))
		}
	}
	return nil
}

// archiveRefusal words what the archive reader refused.
func archiveRefusal(err error) error {
	var r *Refusal
	if errors.As(err, &r) {
		return r
	}
	if errors.Is(err, syscall.ENOSPC) {
		return refuse("no_space", err)
	}
	var args []string
	var ee *archive.EntryError
	if errors.As(err, &ee) {
		args = []string{"file", strconv.QuoteToGraphic(ee.Name), "type", typeKeys[ee.Type]}
	}
	for _, k := range []struct {
		key string
		err error
	}{
		{"format", archive.ErrFormat}, {"rar5", archive.ErrRAR5}, {"unsupported", archive.ErrUnsupported},
		{"solid_too_large", archive.ErrSolid}, {"too_large", archive.ErrTooLarge}, {"unsafe_name", archive.ErrName},
		{"duplicate", archive.ErrDuplicate}, {"not_regular", archive.ErrType}, {"damaged", archive.ErrCorrupt},
	} {
		if errors.Is(err, k.err) {
			return refuse(k.key, err, args...)
		}
	}
	return refuse("unreadable", err)
}

// typeKeys name the kinds of entries in the translations ("pack.type.").
var typeKeys = map[archive.Type]string{archive.Dir: "folder", archive.Symlink: "symlink",
	archive.HardLink: "hard_link", archive.Device: "device", archive.FIFO: "fifo", archive.Other: "other"}

// installRefusal words an error of the install.
func installRefusal(m Manifest, err error) error {
	var r *Refusal
	var coded interface{ Code() int }
	switch {
	case errors.As(err, &r):
		return r
	case errors.Is(err, syscall.ENOSPC), errors.As(err, &coded) && coded.Code()&0xff == sqliteFull:
		return refuse("no_space", err)
	}
	return fmt.Errorf("install pack %d of %s: %w", m.Sequence, m.Office, err)
}

// sqliteFull is SQLITE_FULL: the disk (or the database's quota) is full.
const sqliteFull = 13

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

// Explain words an import error for the clerk, in l.
func Explain(l i18n.Lang, err error) string {
	var r *Refusal
	if errors.As(err, &r) {
		args := maps.Clone(r.Args)
		if t, ok := args["type"]; ok {
			args["type"] = i18n.T(l, "pack.type."+t, nil)
		}
		return i18n.T(l, "pack.refused", map[string]string{"why": i18n.T(l, "pack."+r.Key, args)})
	}
	return i18n.T(l, "pack.refused", map[string]string{"why": err.Error()})
}
