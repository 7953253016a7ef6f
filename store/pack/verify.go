package pack

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/archive"
)

const (
	maxLine    = 1 << 20 // bytes of one line, newline excluded
	chunkLines = 2048    // lines hashed together, verified together before they are installed
)

// verified is what the verification pass keeps: the small files, and
// the SHA-256 of each chunk of bookings.jsonl's lines.
type verified struct {
	small  map[string][]byte
	chunks [][sha256.Size]byte
}

// verify reads every file the manifest lists, checking its length and
// hash and every line of bookings.jsonl; nothing is written.
func verify(ctx context.Context, path string, m Manifest, progress func(int64)) (*verified, error) {
	v := &verified{small: map[string][]byte{}}
	seen := map[string]bool{}
	err := archive.Walk(path, Limits, func(e archive.Entry, r io.Reader) error {
		f, listed := m.Files[e.Base]
		if !listed {
			return nil // the manifest and its signature, read already
		}
		if e.Size != f.Size {
			return refuse("bad_size", nil, "file", e.Base, "size", fmt.Sprint(e.Size), "signed", fmt.Sprint(f.Size))
		}
		seen[e.Base] = true
		if e.Base == FileBookings {
			return eachChunk(ctx, r, f, m, progress, func(i int, sum [sha256.Size]byte, _ []store.Booking) error {
				v.chunks = append(v.chunks, sum)
				return nil
			})
		}
		data, err := readSigned(r, e.Base, f)
		v.small[e.Base] = data
		return err
	})
	if err != nil {
		return nil, archiveRefusal(err)
	}
	for name := range m.Files {
		if !seen[name] { // the archive changed since it was listed
			return nil, refuse("missing_file", nil, "file", name)
		}
	}
	return v, nil
}

// readSigned reads a small file whole, checking its signed length and
// hash.
func readSigned(r io.Reader, name string, f File) ([]byte, error) {
	h := sha256.New()
	data, err := io.ReadAll(io.TeeReader(io.LimitReader(r, f.Size), h))
	if err != nil {
		return nil, err
	}
	return data, checkSigned(r, name, f, int64(len(data)), h)
}

// checkSigned compares what was read of r with what the manifest signs:
// its length (r must have nothing more) and its hash.
func checkSigned(r io.Reader, name string, f File, n int64, h hash.Hash) error {
	var one [1]byte
	more, err := io.ReadFull(r, one[:])
	switch {
	case err != nil && !errors.Is(err, io.EOF):
		return err
	case more > 0:
		return refuse("bad_size", nil, "file", name, "size", "> "+fmt.Sprint(f.Size), "signed", fmt.Sprint(f.Size))
	case n != f.Size:
		return refuse("bad_size", nil, "file", name, "size", fmt.Sprint(n), "signed", fmt.Sprint(f.Size))
	case hex.EncodeToString(h.Sum(nil)) != f.SHA256:
		return refuse("bad_hash", nil, "file", name)
	}
	return nil
}

// install reads bookings.jsonl again and hands its bookings to put, one
// chunk after the other, each only once its hash is the one verify saw:
// no byte that was not verified is ever written. Reading and parsing run
// on another goroutine (another core) while put stores.
func install(ctx context.Context, path string, m Manifest, chunks [][sha256.Size]byte, progress func(int64), put func(store.Booking) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []store.Booking, 2)
	read := make(chan error, 1)
	go func() {
		defer close(batches)
		read <- walkBookings(ctx, path, m, progress, func(i int, sum [sha256.Size]byte, batch []store.Booking) error {
			if i >= len(chunks) || sum != chunks[i] {
				return refuse("changed", nil, "file", FileBookings)
			}
			select {
			case batches <- batch:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for batch := range batches {
		for _, b := range batch {
			if err := put(b); err != nil {
				cancel()
				for range batches {
				}
				<-read
				return err
			}
		}
	}
	return <-read
}

// walkBookings streams bookings.jsonl out of the archive, chunk by chunk.
func walkBookings(ctx context.Context, path string, m Manifest, progress func(int64), chunk func(int, [sha256.Size]byte, []store.Booking) error) error {
	found := false
	err := archive.Walk(path, Limits, func(e archive.Entry, r io.Reader) error {
		if e.Base != FileBookings {
			return nil
		}
		f := m.Files[FileBookings]
		if e.Size != f.Size {
			return refuse("changed", nil, "file", FileBookings)
		}
		found = true
		return eachChunk(ctx, r, f, m, progress, chunk)
	})
	if err == nil && !found {
		err = refuse("changed", nil, "file", FileBookings)
	}
	if err != nil {
		return archiveRefusal(err)
	}
	return nil
}

// eachChunk reads bookings.jsonl from r, at most its signed length,
// parsing and checking every line, and calls chunk with every chunkLines
// lines: their SHA-256 and their bookings. At the end the whole file's
// length and hash must be the signed ones.
func eachChunk(ctx context.Context, r io.Reader, f File, m Manifest, progress func(int64), chunk func(int, [sha256.Size]byte, []store.Booking) error) error {
	whole := sha256.New()
	counted := &countingReader{r: io.TeeReader(io.LimitReader(r, f.Size), whole), progress: progress}
	p := newBookingParser(m)
	h := sha256.New()
	lines, index := 0, 0
	batch := make([]store.Booking, 0, chunkLines)
	flush := func() error {
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		err := chunk(index, sum, batch)
		h.Reset()
		lines, index, batch = 0, index+1, make([]store.Booking, 0, chunkLines)
		return err
	}
	err := eachLine(counted, func(n int, raw []byte) error {
		h.Write(raw)
		lines++
		if line := bytes.TrimRight(raw, "\r\n"); len(line) > 0 {
			b, err := p.parse(line)
			if err != nil {
				return refuse("bad_booking", err, "file", FileBookings, "line", fmt.Sprint(n))
			}
			batch = append(batch, b)
		}
		if lines == chunkLines {
			if err := ctx.Err(); err != nil {
				return err
			}
			return flush()
		}
		return nil
	})
	if err == nil && lines > 0 {
		err = flush()
	}
	var le *LineError
	if errors.As(err, &le) {
		return refuse("bad_booking", err, "file", FileBookings, "line", fmt.Sprint(le.Line))
	}
	if err != nil {
		return err
	}
	return checkSigned(r, FileBookings, f, counted.n, whole)
}

// countingReader counts bytes and reports them every MiB.
type countingReader struct {
	r        io.Reader
	n        int64
	reported int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n-c.reported >= 1<<20 {
		c.progress(c.n)
		c.reported = c.n
	}
	return n, err
}

// eachLine calls fn with every line of r, its newline included, and its
// number counted from 1 (empty lines count). A line longer than maxLine
// is refused with its own number.
func eachLine(r io.Reader, fn func(n int, raw []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				if len(long)+len(line) > maxLine+1 {
					return &LineError{Line: n, Err: fmt.Errorf("longer than %d bytes", maxLine)}
				}
				long = append(long, line...)
			}
			line = long
		}
		if len(line) > maxLine+1 || len(line) == maxLine+1 && line[maxLine] != '\n' {
			return &LineError{Line: n, Err: fmt.Errorf("longer than %d bytes", maxLine)}
		}
		if len(line) > 0 {
			if ferr := fn(n, line); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// LineError is a line that cannot be read.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// bookingParser turns lines into checked bookings.
type bookingParser struct {
	office   string
	from, to time.Time
}

func newBookingParser(m Manifest) *bookingParser {
	from, _ := time.Parse(time.DateOnly, m.From)
	to, _ := time.Parse(time.DateOnly, m.To)
	// The pack's days, in any time zone.
	return &bookingParser{office: m.Office, from: from.AddDate(0, 0, -1), to: to.AddDate(0, 0, 2)}
}

func (p *bookingParser) parse(line []byte) (store.Booking, error) {
	var l Booking
	if err := json.Unmarshal(line, &l); err != nil {
		return store.Booking{}, err
	}
	b := store.Booking{ID: l.ID, Office: p.office, SlotStart: l.SlotStart, SlotMinutes: l.SlotMinutes,
		Kind: store.Kind(l.Kind), Name: l.Name, Reason: l.Reason, BirthDate: l.BirthDate,
		ReadyOn: l.ReadyOn, Status: store.Status(l.Status), Day: l.SlotStart.Format(time.DateOnly),
		Document: l.Document, PickupOffice: l.PickupOffice}
	return b, check(b, p.from, p.to)
}

func check(b store.Booking, from, to time.Time) error {
	switch {
	case !store.ValidBookingID(b.ID):
		return fmt.Errorf("booking ID %q (a decimal number, or a walk-in's w-…)", b.ID)
	case b.Kind != store.Intake && b.Kind != store.Pickup:
		return fmt.Errorf("kind %q", b.Kind)
	case b.SlotMinutes <= 0:
		return errors.New("no slot length")
	case b.SlotStart.Before(from) || b.SlotStart.After(to):
		return errors.New("slot outside the pack's days")
	}
	switch b.Status {
	case "", store.Confirmed, store.Cancelled, store.Replaced, store.WalkIn:
		return nil
	}
	return fmt.Errorf("status %q", b.Status)
}

// contents parses the verified small files into what InstallPack takes.
func (v *verified) contents(m Manifest) (store.PackContents, error) {
	c := store.PackContents{Sequence: m.Sequence}
	var office Office
	if err := json.Unmarshal(v.small[FileOffice], &office); err != nil {
		return c, refuse("bad_content", err, "file", FileOffice)
	}
	if err := office.Calendar.Validate(); err != nil || office.Calendar.Office != m.Office {
		return c, refuse("bad_content", err, "file", FileOffice)
	}
	c.Office, c.Fees = office.Calendar, office.Fees
	var keys []Key
	if err := json.Unmarshal(v.small[FileKeys], &keys); err != nil {
		return c, refuse("bad_content", err, "file", FileKeys)
	}
	var err error
	if c.Keys, err = Keyring(keys); err != nil {
		return c, refuse("bad_content", err, "file", FileKeys)
	}
	if c.Cancelled, err = refs(v.small[FileCancelled], FileCancelled); err != nil {
		return c, err
	}
	c.Revoked, err = refs(v.small[FileRevoked], FileRevoked)
	return c, err
}

// refs reads cancelled.jsonl or revoked.jsonl.
func refs(data []byte, name string) ([]string, error) {
	var ids []string
	err := eachLine(bytes.NewReader(data), func(n int, raw []byte) error {
		line := bytes.TrimRight(raw, "\r\n")
		if len(line) == 0 {
			return nil
		}
		var r Ref
		if err := json.Unmarshal(line, &r); err != nil || r.ID == "" {
			return refuse("bad_content", fmt.Errorf("no booking ID"), "file", name, "line", fmt.Sprint(n))
		}
		ids = append(ids, r.ID)
		return nil
	})
	var le *LineError
	if errors.As(err, &le) {
		return nil, refuse("bad_content", err, "file", name, "line", fmt.Sprint(le.Line))
	}
	return ids, err
}
