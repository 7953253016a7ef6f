// Package hubcli is the command line of ghiseu-hub.
package hubcli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ghiseu/ghiseu/scanner/qr"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
)

// Run runs one ghiseu-hub command and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	commands := map[string]func([]string, io.Writer) error{
		"keygen":  keygen,
		"issue":   issue,
		"init":    func(a []string, w io.Writer) error { return withHub(ctx, a, w, initHub, true) },
		"serve":   func(a []string, w io.Writer) error { return withHub(ctx, a, w, serve, false) },
		"enroll":  func(a []string, w io.Writer) error { return withHub(ctx, a, w, enroll, false) },
		"revoke":  func(a []string, w io.Writer) error { return withHub(ctx, a, w, revoke, false) },
		"book":    func(a []string, w io.Writer) error { return withHub(ctx, a, w, book, false) },
		"confirm": func(a []string, w io.Writer) error { return withHub(ctx, a, w, confirm, false) },
		"cancel":  func(a []string, w io.Writer) error { return withHub(ctx, a, w, cancel, false) },
		"demo":    func(a []string, w io.Writer) error { return withHub(ctx, a, w, demo, false) },
		"ready":   func(a []string, w io.Writer) error { return withHub(ctx, a, w, ready, false) },
		"find":    func(a []string, w io.Writer) error { return withHub(ctx, a, w, find, false) },
		"pack":    func(a []string, w io.Writer) error { return withHub(ctx, a, w, writePack, false) },
	}
	if len(args) == 0 || commands[args[0]] == nil {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if err := commands[args[0]](args[1:], stdout); err != nil {
		fmt.Fprintln(stderr, "ghiseu-hub "+args[0]+":", err)
		return 1
	}
	return 0
}

const usage = `usage: ghiseu-hub COMMAND [flags]
  init    --db F --key F [--calendar FILE.json]   set up a hub (makes the key if missing)
  serve   --db F --key F [--addr :8443]           serve the counters (HTTPS, the hub's own certificate)
          [--site ADDR [--site-url URL] [--site-behind-proxy] [--mail-from "Office <a@b.ro>"]
           (--smtp HOST:PORT [--smtp-user U --smtp-password-file F|-] [--smtp-plain] | --mail-dir DIR)]
                                                  and the citizens' booking site (plain HTTP behind a TLS
                                                  proxy), its e-mail by SMTP (with --mail-from) or, for the
                                                  demo, to .eml files (beside the database by default)
                                                  (--smtp needs --site-url https://...)
  ready   --db F --key F --booking ID [--mail-from S] [--force]
                                                  the card is ready: book the pickup, e-mail its QR (sender and
                                                  site as serve last had them; --force: no arrival recorded,
                                                  the application was taken in on paper)
  enroll  --db F --counter N [--url https://H:P] [--replace]
                                                  a counter's enrolment string (printed once)
  revoke  --db F --counter N                      stop a counter's token
  book    --db F --name N --birth D --reason R --slot T [--document cei|cis]
          [--pickup-office OFFICE] [--kind pickup --ready D]
                                                  a booking request (prints its confirmation token)
  confirm --db F --key F TOKEN [--png F]          confirm a request: the booking and its code
  find    --db F --name N [--birth D]             the coming bookings whose name has these parts, any order
                                                  (ID, local slot, kind, status, name, reference)
  cancel  --db F --booking ID [--mail-from A]     cancel a booking (a site booking's citizen is e-mailed)
  demo    --db F --key F [--days 5]               fill the coming days with demo bookings
  pack    --db F --key F --out F.zip              write today's day pack (for a USB stick)
  keygen  --out F                                 a signing key (public key on stdout)
  issue   --key F --key-id N --booking ID --office ID --slot T [--png F]   one code`

// keygen makes a booking-system signing key: the private seed goes to a
// file only its owner can read, the public key to stdout for the counters.
func keygen(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	path := fs.String("out", "", "file for the private key (created, mode 0600)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" {
		return errors.New("--out is required")
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write key: %w", err)
	}
	if _, err := fmt.Fprintln(f, hex.EncodeToString(priv.Seed())); err != nil {
		f.Close()
		return fmt.Errorf("write key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write key: %w", err)
	}
	fmt.Fprintln(out, base64.StdEncoding.EncodeToString(pub))
	return nil
}

// ReadKey reads a private key file written by keygen.
func ReadKey(path string) (ed25519.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("read key %s: not a key written by ghiseu-hub keygen", path)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// issue makes the reservation code for a booking and, with --png, the QR
// image the booking system attaches to its e-mail.
func issue(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("issue", flag.ContinueOnError)
	keyPath := fs.String("key", "", "private key file (from keygen)")
	keyID := fs.Uint("key-id", 1, "the key's ID in the counters' keyring (0-255)")
	booking := fs.Uint64("booking", 0, "booking ID")
	office := fs.String("office", "", "office ID")
	slot := fs.String("slot", "", "slot start, RFC 3339 (2026-11-25T10:20:00+02:00)")
	minutes := fs.Int("minutes", 20, "slot length in minutes")
	kind := fs.String("kind", "intake", "intake or pickup")
	png := fs.String("png", "", "also write the QR code as a PNG to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, err := ReadKey(*keyPath)
	if err != nil {
		return err
	}
	start, err := time.Parse(time.RFC3339, *slot)
	if err != nil {
		return fmt.Errorf("--slot: %w", err)
	}
	k := map[string]rescode.Kind{"intake": rescode.Intake, "pickup": rescode.Pickup}[*kind]
	if k == 0 || *keyID > 255 {
		return errors.New("--kind must be intake or pickup, --key-id 0 to 255")
	}
	code, err := rescode.Issue(key, rescode.Claims{KeyID: uint8(*keyID), BookingID: *booking, Office: *office,
		SlotStart: start, SlotMinutes: *minutes, Kind: k})
	if err != nil {
		return err
	}
	if *png != "" {
		if err := writeQR(*png, code); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, code)
	return nil
}

// writeQR writes a code's QR image, the e-mail's attachment, to a file
// readable by its owner only.
func writeQR(path, code string) error {
	f, err := store.CreatePrivate(path)
	if err != nil {
		return err
	}
	if err := qr.WritePNG(f, code, 400); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
