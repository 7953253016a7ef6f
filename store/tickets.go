package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Ticket numbers (issue 13). Every arrival gets a daily number per office
// and kind (D-017), written on its event in the transaction that writes
// the event (Judge), so that a crash never gives one number twice.
//
// Where a counter's numbers come from, so that no two counters of an
// office ever give the same one, even cut off from each other:
//
//   - Leases. The hub hands each counter blocks of numbers per day and
//     letter (LeaseTickets): 1–999 first, then from LeaseOverflow (100000)
//     on. A counter keeps what it was leased and not yet given in
//     ticket_blocks and takes numbers from it, the lowest first.
//   - The offline range. On first contact the hub gives every counter a
//     small index (desk_index: 1, 2, … MaxDeskIndex). A linked counter with
//     no leased number left, and the hub unreachable, gives idx*1000+1 …
//     idx*1000+999 (counter 2: D-2001, D-2002 …). These lie between 1000 and
//     99999, where no lease ever falls (leases are below 1000 or from
//     100000), and two counters' ranges never meet (their indexes differ).
//   - An unlinked counter (a one-counter office, no hub) numbers from its
//     own database, 1, 2, 3 … (ticket_next of office LocalOffice).
const (
	// OfflineSpan is the size of a counter's reserved offline range.
	OfflineSpan = 1000
	// MaxDeskIndex bounds the hub's desk indexes, so that every offline
	// range stays below LeaseOverflow.
	MaxDeskIndex = 99
	// LeaseOverflow is where the hub's leases go on once a day's kind has
	// used 1–999: past every counter's offline range.
	LeaseOverflow = (MaxDeskIndex + 1) * OfflineSpan
	// LocalOffice is the office name under which an unlinked counter keeps
	// its own sequence in ticket_next.
	LocalOffice = "-"
)

// Ticket letters by default (calendar.Calendar.Tickets overrides them).
const (
	TicketIntake = "D" // an intake by appointment
	TicketPickup = "R" // a pickup of a finished card
	TicketWalkIn = "F" // a visit without an appointment
)

// keyDeskIndex holds the index the hub gave this counter (0: none yet).
const keyDeskIndex = "ticket_desk_index"

// TicketFor asks Judge to give the outcome's arrival a ticket of a day
// (the office's date, YYYY-MM-DD) and letter.
type TicketFor struct {
	Day    string
	Letter string
}

// FormatTicket writes a ticket: the letter, a dash, the number on at
// least three digits (D-017, D-2001).
func FormatTicket(letter string, n int64) string { return fmt.Sprintf("%s-%03d", letter, n) }

// ParseTicket reads a ticket written by FormatTicket.
func ParseTicket(t string) (letter string, n int64, err error) {
	letter, num, ok := strings.Cut(t, "-")
	if ok {
		n, err = strconv.ParseInt(num, 10, 64)
	}
	if !ok || err != nil || letter == "" || n <= 0 {
		return "", 0, fmt.Errorf("ticket %q: want LETTER-NUMBER", t)
	}
	return letter, n, nil
}

// TicketOf is the ticket of a booking's standing arrival, or "": the
// first arrival not undone that has one (a person checked in twice, by
// two counters cut off from each other, keeps the first number, as the
// calls feed shows it).
func TicketOf(events []Event) string {
	for _, e := range Effective(events) {
		if e.Type == Arrived && e.Ticket != "" {
			return e.Ticket
		}
	}
	return ""
}

// ErrNoTicket says that a linked counter has neither a leased number nor
// an offline range (the hub has not given it an index yet).
var ErrNoTicket = errors.New("no ticket number available")

// giveTicketTx takes the next number of a day and letter in transaction t
// (see the package note above for where it comes from).
func giveTicketTx(ctx context.Context, t *sql.Tx, day, letter string) (string, error) {
	linked, err := settingTx(ctx, t, keyHubLinked)
	if err != nil {
		return "", err
	}
	if linked != "1" {
		n, err := nextLocalTx(ctx, t, LocalOffice, day, letter, 1)
		if err != nil {
			return "", err
		}
		return FormatTicket(letter, n), nil
	}
	raw, err := settingTx(ctx, t, keyDeskIndex)
	if err != nil {
		return "", err
	}
	idx, _ := strconv.Atoi(raw)
	lo, hi := offlineRange(idx)
	// A leased number first, the lowest; the offline range last.
	var next, last int64
	err = t.QueryRowContext(ctx, `SELECT next, last FROM ticket_blocks WHERE day = ? AND letter = ?
		ORDER BY (next BETWEEN ? AND ?), next LIMIT 1`, day, letter, lo, hi).Scan(&next, &last)
	switch {
	case errors.Is(err, sql.ErrNoRows) && idx > 0: // open the offline range
		next, last = lo, hi
		if _, err := t.ExecContext(ctx, `INSERT INTO ticket_blocks (day, letter, next, last) VALUES (?, ?, ?, ?)`, day, letter, lo, hi); err != nil {
			return "", fmt.Errorf("open offline tickets: %w", err)
		}
		slog.Warn("tickets: no leased number left, the offline range is used", "day", day, "letter", letter, "from", lo)
	case errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("ticket %s of %s: %w (the hub has not given this counter an index)", letter, day, ErrNoTicket)
	case err != nil:
		return "", fmt.Errorf("ticket %s of %s: %w", letter, day, err)
	}
	if next == last {
		_, err = t.ExecContext(ctx, `DELETE FROM ticket_blocks WHERE day = ? AND letter = ? AND next = ?`, day, letter, next)
	} else {
		_, err = t.ExecContext(ctx, `UPDATE ticket_blocks SET next = next + 1 WHERE day = ? AND letter = ? AND next = ?`, day, letter, next)
	}
	if err != nil {
		return "", fmt.Errorf("ticket %s of %s: %w", letter, day, err)
	}
	return FormatTicket(letter, next), nil
}

// offlineRange is the numbers desk index idx gives when it has no lease
// left: none (0, -1) without an index.
func offlineRange(idx int) (lo, hi int64) {
	if idx <= 0 {
		return 0, -1
	}
	return int64(idx)*OfflineSpan + 1, int64(idx)*OfflineSpan + OfflineSpan - 1
}

// nextLocalTx takes n numbers of ticket_next's sequence of an office's day
// and letter, and returns the first.
func nextLocalTx(ctx context.Context, t *sql.Tx, office, day, letter string, n int64) (int64, error) {
	var next int64
	err := t.QueryRowContext(ctx, `SELECT next FROM ticket_next WHERE office = ? AND day = ? AND letter = ?`, office, day, letter).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		next, err = 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ticket sequence %s %s: %w", day, letter, err)
	}
	_, err = t.ExecContext(ctx, `INSERT INTO ticket_next (office, day, letter, next) VALUES (?, ?, ?, ?)
		ON CONFLICT (office, day, letter) DO UPDATE SET next = excluded.next`, office, day, letter, next+n)
	if err != nil {
		return 0, fmt.Errorf("ticket sequence %s %s: %w", day, letter, err)
	}
	return next, nil
}

func settingTx(ctx context.Context, t *sql.Tx, key string) (string, error) {
	var v string
	err := t.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// TicketBlock is a run of numbers the hub leased a counter, First to Last.
type TicketBlock struct {
	Letter string `json:"letter"`
	First  int64  `json:"first"`
	Last   int64  `json:"last"`
}

// TicketLease is what the hub answers a counter that asks for numbers.
type TicketLease struct {
	Day    string        `json:"day"`
	Index  int           `json:"index"` // the counter's desk index
	Blocks []TicketBlock `json:"blocks"`
}

// ErrTooManyDesks says that the hub has given every desk index.
var ErrTooManyDesks = errors.New("no desk index left")

// LeaseTickets is the hub's side: it gives counter its desk index (the
// same on every call; a new one, the next free, on first contact) and a
// block of want[letter] numbers of each letter of an office's day, from
// ticket_next, in one transaction. A block never reaches into 1000–99999,
// the counters' offline ranges: past 999 the leases go on from
// LeaseOverflow.
func (db *DB) LeaseTickets(ctx context.Context, office, counter, day string, want map[string]int) (TicketLease, error) {
	l := TicketLease{Day: day}
	err := db.tx(ctx, func(t *sql.Tx) error {
		l.Blocks = nil
		err := t.QueryRowContext(ctx, `SELECT idx FROM desk_index WHERE counter = ?`, counter).Scan(&l.Index)
		if errors.Is(err, sql.ErrNoRows) {
			if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(idx), 0) + 1 FROM desk_index`).Scan(&l.Index); err != nil {
				return err
			}
			if l.Index > MaxDeskIndex {
				return fmt.Errorf("desk index for %s: %w (%d)", counter, ErrTooManyDesks, MaxDeskIndex)
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO desk_index (counter, idx) VALUES (?, ?)`, counter, l.Index); err != nil {
				return err
			}
			slog.Info("tickets: desk index given", "counter", counter, "index", l.Index)
		} else if err != nil {
			return err
		}
		for _, letter := range slices.Sorted(maps.Keys(want)) {
			n := int64(want[letter])
			if n <= 0 {
				continue
			}
			first, err := nextLocalTx(ctx, t, office, day, letter, 0) // read only
			if err != nil {
				return err
			}
			if first < OfflineSpan && first+n-1 >= OfflineSpan { // stop at 999
				n = OfflineSpan - first
			}
			if first >= OfflineSpan && first < LeaseOverflow {
				first = LeaseOverflow
			}
			if _, err := t.ExecContext(ctx, `UPDATE ticket_next SET next = ? WHERE office = ? AND day = ? AND letter = ?`,
				first+n, office, day, letter); err != nil {
				return err
			}
			l.Blocks = append(l.Blocks, TicketBlock{Letter: letter, First: first, Last: first + n - 1})
		}
		return nil
	})
	if err != nil {
		return TicketLease{}, fmt.Errorf("lease tickets of %s to %s: %w", day, counter, err)
	}
	return l, nil
}

// TicketsLeft counts, per letter, the leased numbers of a day this
// counter has not given yet (its offline range does not count).
func (db *DB) TicketsLeft(ctx context.Context, day string) (map[string]int, error) {
	raw, err := db.Setting(ctx, keyDeskIndex)
	if err != nil {
		return nil, err
	}
	idx, _ := strconv.Atoi(raw)
	lo, hi := offlineRange(idx)
	rows, err := db.ro.QueryContext(ctx, `SELECT letter, SUM(last - next + 1) FROM ticket_blocks
		WHERE day = ? AND NOT (next BETWEEN ? AND ?) GROUP BY letter`, day, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("count leased tickets: %w", err)
	}
	defer rows.Close()
	left := map[string]int{}
	for rows.Next() {
		var letter string
		var n int
		if err := rows.Scan(&letter, &n); err != nil {
			return nil, fmt.Errorf("count leased tickets: %w", err)
		}
		left[letter] = n
	}
	return left, rows.Err()
}

// DeskIndex is the index the hub gave this counter (0: none yet).
func (db *DB) DeskIndex(ctx context.Context) (int, error) {
	raw, err := db.Setting(ctx, keyDeskIndex)
	if err != nil {
		return 0, err
	}
	idx, _ := strconv.Atoi(raw)
	return idx, nil
}

// KeepLease keeps what the hub leased: the counter's desk index and the
// blocks, to be given by later arrivals; old days' blocks go.
func (db *DB) KeepLease(ctx context.Context, l TicketLease) error {
	if l.Index <= 0 || l.Index > MaxDeskIndex {
		return fmt.Errorf("keep ticket lease: desk index %d out of 1–%d", l.Index, MaxDeskIndex)
	}
	err := db.tx(ctx, func(t *sql.Tx) error {
		if _, err := t.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, keyDeskIndex, strconv.Itoa(l.Index)); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM ticket_blocks WHERE day < ?`, l.Day); err != nil {
			return err
		}
		for _, b := range l.Blocks {
			if b.First <= 0 || b.Last < b.First || b.First >= OfflineSpan && b.First < LeaseOverflow || b.First < OfflineSpan && b.Last >= OfflineSpan {
				return fmt.Errorf("block %s %d–%d is no lease", b.Letter, b.First, b.Last)
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO ticket_blocks (day, letter, next, last) VALUES (?, ?, ?, ?)`,
				l.Day, b.Letter, b.First, b.Last); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("keep ticket lease: %w", err)
	}
	return nil
}
