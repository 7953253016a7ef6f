package hubcli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calendar"
	"github.com/ghiseu/ghiseu/store/hub"
	"github.com/ghiseu/ghiseu/store/pack"
	"github.com/ghiseu/ghiseu/store/sync"
)

// hubCmd is one hub command, with the hub opened from --db and --key.
// Called with a nil hub, it only registers its flags on fs.
type hubCmd func(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error

// withHub parses the common flags and the command's own, opens the hub
// (making the signing key first when makeKey and it is missing) and runs cmd.
func withHub(ctx context.Context, args []string, out io.Writer, cmd hubCmd, makeKey bool) error {
	fs := flag.NewFlagSet("ghiseu-hub", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", "hub.db", "the hub's database")
	keyPath := fs.String("key", "", "the signing key file")
	cmd(ctx, nil, fs, nil, nil) // registers the command's flags
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	h := &hub.Hub{DB: db, KeyID: 1, PackDays: 7}
	if *keyPath != "" {
		if h.Key, err = loadOrMakeKey(*keyPath, makeKey); err != nil {
			return err
		}
	}
	return cmd(ctx, h, fs, pos, out)
}

func loadOrMakeKey(path string, make bool) (ed25519.PrivateKey, error) {
	key, err := ReadKey(path)
	if err == nil || !make || !errors.Is(err, os.ErrNotExist) {
		return key, err
	}
	_, key, err = ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return key, os.WriteFile(path, []byte(hex.EncodeToString(key.Seed())+"\n"), 0o600)
}

func str(fs *flag.FlagSet, name string) string { return fs.Lookup(name).Value.String() }

func needKey(h *hub.Hub) error {
	if h.Key == nil {
		return errors.New("--key is required")
	}
	return nil
}

func initHub(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("calendar", "", "the office calendar (JSON); SPCLEP Dumbrăvița by default")
		return nil
	}
	if err := needKey(h); err != nil {
		return err
	}
	cal := calendar.Default()
	if path := str(fs, "calendar"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if cal, err = calendar.Parse(data); err != nil {
			return err
		}
	}
	if err := hub.Init(ctx, h.DB, cal, h.Key, h.KeyID, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "hub for %s (%s) ready\n", cal.Office, cal.OfficeName)
	return nil
}

func serve(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("addr", ":8443", "address to listen on (HTTPS)")
		siteFlags(fs)
		return nil
	}
	if err := needKey(h); err != nil {
		return err
	}
	citizens, err := newCitizenSide(h, fs, os.Stdin)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.Info("hub serving", "addr", str(fs, "addr"), "db", h.DB.Path())
	go sweep(ctx, h) // the retention purge runs with or without the site
	if citizens == nil {
		return h.Serve(ctx, str(fs, "addr"))
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() { cancel(citizens.run(ctx, h)) }()
	if err := h.Serve(ctx, str(fs, "addr")); err != nil {
		return err
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func enroll(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("counter", "", "the counter's number")
		fs.String("url", "", "the hub's address as the counters reach it: https://HOST:PORT (default: this host, port 8443)")
		fs.Bool("replace", false, "give an enrolled counter a new token (the PC holding the old one stops syncing)")
		return nil
	}
	if enrolled, err := h.DB.CounterEnrolled(ctx, str(fs, "counter")); err != nil {
		return err
	} else if enrolled && str(fs, "replace") != "true" {
		return fmt.Errorf("counter %s is enrolled already: --replace gives it a new token, and the PC that holds the old one stops syncing", str(fs, "counter"))
	}
	url := str(fs, "url")
	if url == "" {
		host, err := os.Hostname()
		if err != nil {
			return fmt.Errorf("--url: %w", err)
		}
		url = "https://" + host + ":8443"
	}
	e, err := enrolment(ctx, h, str(fs, "counter"), url)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, e.String())
	return nil
}

// enrolment enrols a counter and says everything it needs to recognise
// this hub: address, token, certificate fingerprint, office and keys.
func enrolment(ctx context.Context, h *hub.Hub, counter, url string) (sync.Enrolment, error) {
	_, fingerprint, err := h.TLS(ctx)
	if err != nil {
		return sync.Enrolment{}, err
	}
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return sync.Enrolment{}, fmt.Errorf("no office yet: run ghiseu-hub init first (%w)", err)
	}
	ring, err := h.DB.Keyring(ctx)
	if err != nil {
		return sync.Enrolment{}, err
	}
	e := sync.Enrolment{URL: url, Cert: fingerprint, Office: cal.Office, Counter: counter}
	for _, k := range ring {
		e.Keys = append(e.Keys, pack.KeyOf(k))
	}
	e.Token = "not yet" // checked before a token is made: a mistyped --url costs nothing
	if _, err := sync.ParseEnrolment(e.String()); err != nil {
		return sync.Enrolment{}, err
	}
	e.Token, err = h.Enroll(ctx, counter)
	return e, err
}

func revoke(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("counter", "", "the counter's number")
		return nil
	}
	return h.Revoke(ctx, str(fs, "counter"))
}

func book(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		for name, help := range map[string]string{"name": "the person's full name", "birth": "birth date YYYY-MM-DD",
			"reason": "reason for issuance (expiry, lost, child_under_14, ...)", "slot": "slot start, RFC 3339",
			"kind": "intake or pickup", "ready": "pickups: date of the card-ready notice",
			"document": "cei (default) or cis (a cip is not booked: walk-in only)", "pickup-office": "the other office chosen to collect the card at"} {
			fs.String(name, "", help)
		}
		return nil
	}
	slot, err := time.Parse(time.RFC3339, str(fs, "slot"))
	if err != nil {
		return fmt.Errorf("--slot: %w", err)
	}
	kind := store.Kind(str(fs, "kind"))
	if kind == "" {
		kind = store.Intake
	}
	token, expires, err := h.Request(ctx, hub.BookingRequest{Name: str(fs, "name"), BirthDate: str(fs, "birth"),
		Reason: str(fs, "reason"), Kind: kind, Slot: slot, ReadyOn: str(fs, "ready"),
		Document: str(fs, "document"), PickupOffice: str(fs, "pickup-office")})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s\t(confirm before %s)\n", token, expires.Format(time.RFC3339))
	return nil
}

func confirm(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("png", "", "write the code's QR image here")
		return nil
	}
	if err := needKey(h); err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("give the confirmation TOKEN")
	}
	b, err := h.Confirm(ctx, pos[0])
	if err != nil {
		return err
	}
	if path := str(fs, "png"); path != "" {
		if err := writeQR(path, b.Code); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "%s\t%s\t%s\n", b.ID, b.Code, rescode.ReferenceOf(b.Office, b.ID)) // the e-mail gives the reference too
	return nil
}

func cancel(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("booking", "", "the booking's ID")
		fs.String("mail-from", "", "the citizen's e-mail's sender (default: the one serve was last given)")
		return nil
	}
	cal, _, err := h.DB.Office(ctx)
	if err != nil {
		return fmt.Errorf("no office yet: run ghiseu-hub init first (%w)", err)
	}
	if err := storedLetters(ctx, h, cal, fs); err != nil {
		return err
	}
	mailed, err := h.Cancel(ctx, str(fs, "booking"))
	switch {
	case errors.Is(err, hub.ErrNoSender):
		return fmt.Errorf(`%w: nothing was cancelled; give --mail-from "Office <address@its-domain>" (serve --site --mail-from keeps it)`, err)
	case err != nil:
		return err
	}
	if mailed {
		fmt.Fprintln(out, "cancelled; e-mail queued to the citizen (serve --site sends it)")
	} else {
		fmt.Fprintln(out, "cancelled; no e-mail sent (no contact on file, or the appointment has begun)")
	}
	return nil
}

func demo(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.Int("days", 5, "how many days ahead")
		return nil
	}
	if err := needKey(h); err != nil {
		return err
	}
	var days int
	fmt.Sscan(str(fs, "days"), &days)
	n, err := h.Demo(ctx, days, 0.7, uint64(time.Now().UnixNano()))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d demo bookings\n", n)
	return nil
}

func writePack(ctx context.Context, h *hub.Hub, fs *flag.FlagSet, pos []string, out io.Writer) error {
	if h == nil {
		fs.String("out", "pack.zip", "the pack file to write")
		return nil
	}
	if err := needKey(h); err != nil {
		return err
	}
	f, err := store.CreatePrivate(str(fs, "out")) // it names people
	if err != nil {
		return err
	}
	if err := h.WritePack(ctx, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
