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

// byName judges the one booking of today whose person has the typed name,
// or says that several or none have it (none: the verdict none).
func (d *Desk) byName(ctx context.Context, text, action string, none verdict.Verdict) (verdict.Verdict, error) {
	bs, err := d.DB.DayBookings(ctx, d.Cal.Office, d.Today())
	if err != nil {
		return verdict.Verdict{}, fmt.Errorf("bookings named %q: %w", text, err)
	}
	var found []store.Booking
	for _, b := range bs {
		if b.Status != store.WalkIn && nameMatches(text, b.Name) {
			found = append(found, b)
		}
	}
	switch len(found) {
	case 0:
		return none, nil
	case 1:
		return d.judgeBooking(ctx, found[0], action)
	}
	return verdict.SeveralNames(d.Judging(), text, found), nil
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

// nameMatches reports whether every word typed is a word of name,
// diacritics and case aside, in any order: "popescu" and "Ana Popescu"
// match "Popescu Ana", "Pop" does not.
func nameMatches(typed, name string) bool {
	words := func(s string) []string {
		return strings.FieldsFunc(i18n.Fold(s), func(r rune) bool { return r == ' ' || r == '-' })
	}
	have := words(name)
	want := words(typed)
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return len(want) > 0
}
