package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// ManualNote is the note of an arrival recorded for a booking typed by its
// short reference or its person's name: no code was verified.
const ManualNote = "manual"

// CheckTyped judges text typed by hand without recording anything: a
// code, a booking's short reference, or the name of a person booked today.
func (d *Desk) CheckTyped(ctx context.Context, text string) (verdict.Verdict, error) {
	return d.judgeText(ctx, text, "", true)
}

// CheckInTyped is CheckTyped, recording the arrival when the verdict
// accepts it.
func (d *Desk) CheckInTyped(ctx context.Context, text string) (verdict.Verdict, error) {
	return d.judgeText(ctx, text, "arrive", true)
}

// judgeText judges a code, a short reference or (with names) a name;
// action as for judge.
func (d *Desk) judgeText(ctx context.Context, text, action string, names bool) (verdict.Verdict, error) {
	if action != "" {
		if err := d.mayRecord(noteOf(action, false)); err != nil {
			return verdict.Verdict{}, err
		}
	}
	ref, err := rescode.ParseReference(text)
	if errors.Is(err, rescode.ErrNotAReference) {
		v, err := d.judge(ctx, text, action)
		if err != nil || v.Name != verdict.NotACode || !names || !looksLikeName(text) {
			return v, err
		}
		return d.byName(ctx, text, action, verdict.NoName(text))
	}
	var miss verdict.Verdict
	if err != nil {
		miss = verdict.Typo(text)
	} else if b, ok, err := d.byReference(ctx, ref); err != nil {
		return verdict.Verdict{}, err
	} else if ok {
		return d.judgeBooking(ctx, b, action)
	} else {
		miss = verdict.Unknown(ref)
	}
	if names && looksLikeName(text) { // letters only: perhaps a name that has a reference's form
		if strings.Contains(strings.TrimSpace(text), " ") { // references are written without spaces
			miss = verdict.NoName(text)
		}
		return d.byName(ctx, text, action, miss)
	}
	return miss, nil
}

// byReference finds the booking of the office that ref stands for.
func (d *Desk) byReference(ctx context.Context, ref string) (store.Booking, bool, error) {
	id, ok := rescode.ReferenceBooking(d.Cal.Office, ref)
	if !ok {
		return store.Booking{}, false, nil
	}
	b, err := d.DB.BookingByID(ctx, strconv.FormatUint(id, 10))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Booking{}, false, nil
	case err != nil:
		return store.Booking{}, false, fmt.Errorf("booking of reference %s: %w", ref, err)
	}
	return b, b.Office == d.Cal.Office && b.Status != store.WalkIn, nil
}

// byName judges the one booking of today whose person the typed text
// names fully (see nameMatch), or says that several have that full name,
// that the text is only part of the names of some (a surname or a first
// name alone: verdict.NameIncomplete, listing them), or that none has it
// (the verdict none). Only a full name of exactly one person checks in.
func (d *Desk) byName(ctx context.Context, text, action string, none verdict.Verdict) (verdict.Verdict, error) {
	bs, err := d.DB.DayBookings(ctx, d.Cal.Office, d.Today())
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("bookings named %q: %w", text, err)
	}
	var full, part []store.Booking
	for _, b := range bs {
		if b.Status == store.WalkIn {
			continue
		}
		switch nameMatch(text, b.Name) {
		case nameFull:
			full = append(full, b)
		case namePart:
			part = append(part, b)
		}
	}
	switch {
	case len(full) == 1:
		return d.judgeBooking(ctx, full[0], action)
	case len(full) > 1:
		return verdict.SeveralNames(d.Judging(), text, full), nil
	case len(part) > 0:
		return verdict.PartName(d.Judging(), text, part), nil
	}
	return none, nil
}

// looksLikeName reports whether text may be a person's name: letters,
// with spaces, hyphens, apostrophes and dots.
func looksLikeName(text string) bool {
	letters := 0
	for _, r := range text {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsMark(r) || unicode.IsSpace(r) || strings.ContainsRune("-'’.", r):
		default:
			return false
		}
	}
	return letters >= 2
}

// How a typed name matches a booking's name.
type match int

const (
	nameNone match = iota // a typed word is not a word of the name
	namePart              // every typed word is a word of the name, but some of its words are missing
	nameFull              // the typed words are exactly the name's words
)

// nameMatch compares a typed name with a booking's name, word by word:
// words are separated by spaces and hyphens, compared without diacritics
// or case (i18n.Fold), in any order. The text names the person fully when
// its words are the name's words, each as many times ("tirlea mihai" and
// "Mihai Țîrlea" for "Țîrlea Mihai", "ionescu maria stefania" for
// "Ionescu Maria-Ștefania"); partly when every typed word is one of the
// name's but some are missing ("balan" or "ana" for "Bălan Ana"); not at
// all otherwise, and part of a word is no word ("Pop" for "Popescu Ana").
func nameMatch(typed, name string) match {
	words := func(s string) []string {
		return strings.FieldsFunc(i18n.Fold(s), func(r rune) bool { return unicode.IsSpace(r) || r == '-' })
	}
	have := words(name)
	want := words(typed)
	if len(want) == 0 {
		return nameNone
	}
	for _, w := range want {
		i := slices.Index(have, w)
		if i < 0 {
			return nameNone
		}
		have = slices.Delete(have, i, i+1) // each word of the name counts once
	}
	if len(have) > 0 {
		return namePart
	}
	return nameFull
}
