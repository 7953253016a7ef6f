package verdict_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/rescode"
	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/demo"
	"github.com/ghiseu/ghiseu/store/desk/desktest"
	"github.com/ghiseu/ghiseu/store/verdict"
)

// produced is a verdict the engine gave, with how it was obtained.
type produced struct {
	how string
	v   verdict.Verdict
}

// sign issues a demo code for a booking the local list may not have.
func sign(t *testing.T, c rescode.Claims) string {
	t.Helper()
	if c.KeyID == 0 {
		c.KeyID = demo.KeyID
	}
	if c.SlotMinutes == 0 {
		c.SlotMinutes = 20
	}
	if c.Kind == 0 {
		c.Kind = rescode.Intake
	}
	code, err := rescode.Issue(demo.SigningKey(), c)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// everyVerdict runs a demo day through the counter and returns every
// verdict it can give: by check (nothing recorded), by check-in, by the
// clerk's override, from the queue and for a walk-in.
func everyVerdict(t *testing.T) []produced {
	ctx := context.Background()
	c := desktest.New(t)
	office := c.Cal.Office
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, c.Cal.Location()) }
	rows, err := c.Day(ctx, "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	later, err := c.Day(ctx, "2026-11-25") // Pavel Oana's booking
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]string{}
	for _, r := range append(rows, later...) {
		id[r.Name] = r.ID
		c.Codes[r.Name] = r.Code
	}
	popescu, _ := strconv.ParseUint(id["Popescu Andrei"], 10, 64)
	noNotice := store.Booking{ID: "4242", Office: office, Day: "2026-11-23", SlotStart: at(9, 0), SlotMinutes: 15,
		Kind: store.Pickup, Name: "Fără Anunț", Reason: "expiry", BirthDate: "1970-01-01", Status: store.Confirmed}
	namesake := store.Booking{ID: "4243", Office: office, Day: "2026-11-23", SlotStart: at(12, 50), SlotMinutes: 20,
		Kind: store.Intake, Name: "Balan Ion", Reason: "expiry", BirthDate: "1970-01-01", Status: store.Confirmed}
	namesake2 := namesake // the same name, diacritics aside
	namesake2.ID, namesake2.Name, namesake2.SlotStart = "4244", "Bălan Ion", at(13, 10)
	if err := c.DB.PutBookings(ctx, []store.Booking{noNotice, namesake, namesake2}); err != nil {
		t.Fatal(err)
	}
	unlisted := rescode.Claims{BookingID: 999, Office: office, SlotStart: at(8, 30), Kind: rescode.Intake}
	var out []produced
	add := func(how string, want verdict.Name, v verdict.Verdict, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		if v.Name != want {
			t.Fatalf("%s: verdict %s, want %s", how, v.Name, want)
		}
		out = append(out, produced{how, v})
	}
	check := func(how string, want verdict.Name, code string) {
		t.Helper()
		v, err := c.Check(ctx, code)
		add("check "+how, want, v, err)
	}
	bălan := c.Codes["Bălan Ana"]
	altered := bălan[:len(bălan)-3] + "AAA" // the signature no longer matches

	c.At(8, 25)
	check("on time", verdict.Valid, c.Codes["Popescu Andrei"])
	check("pickup on time", verdict.Ready, c.Codes["Lupu Sorin"])
	check("unlisted", verdict.NotInList, sign(t, unlisted))
	check("early", verdict.Early, c.Codes["Neagu Cristina"])
	check("another day", verdict.WrongDay, c.Codes["Pavel Oana"])
	check("another office", verdict.WrongOffice, sign(t, rescode.Claims{BookingID: 998, Office: "CJ-DJEP", SlotStart: at(8, 30)}))
	check("cancelled", verdict.Cancelled, c.Codes["Moldovan Radu"])
	check("moved", verdict.Replaced, sign(t, rescode.Claims{BookingID: popescu, Office: office, SlotStart: at(8, 50)}))
	check("card not ready", verdict.NotReady, c.Codes["Georgescu Paul"])
	check("no ready notice", verdict.NotReady, sign(t, rescode.Claims{BookingID: 4242, Office: office, SlotStart: at(9, 0), SlotMinutes: 15, Kind: rescode.Pickup}))
	check("a web address", verdict.NotACode, "https://example.com")
	check("altered", verdict.Forged, altered)
	check("truncated", verdict.Forged, bălan[:20])
	check("unknown key", verdict.Forged, sign(t, rescode.Claims{KeyID: 9, BookingID: 997, Office: office, SlotStart: at(8, 30)}))
	check("expired key", verdict.Forged, sign(t, rescode.Claims{BookingID: 996, Office: office, SlotStart: time.Date(2019, 5, 6, 9, 0, 0, 0, time.UTC)}))
	add("refuse a newer version", verdict.Forged, verdict.Refuse(rescode.ErrVersion), nil)
	typed := func(how string, want verdict.Name, text string) {
		t.Helper()
		v, err := c.CheckTyped(ctx, text)
		add("typed "+how, want, v, err)
	}
	ref := rescode.ReferenceOf(office, id["Popescu Andrei"])
	typed("reference", verdict.Valid, ref)
	typed("name", verdict.Valid, "popescu andrei")
	typed("reference with a typo", verdict.ReferenceTypo, ref[1:2]+ref[:1]+ref[2:])
	typed("unknown reference", verdict.UnknownReference, rescode.Reference(office, 123456))
	typed("nobody's name", verdict.NameNotFound, "Nimeni Nicăieri")
	typed("two people's surname", verdict.NameIncomplete, "BALAN")
	typed("two people's full name", verdict.NameAmbiguous, "Ion Bălan")

	v, err := c.CheckIn(ctx, c.Codes["Popescu Andrei"])
	add("checkin on time", verdict.Valid, v, err)
	v, err = c.CheckIn(ctx, c.Codes["Lupu Sorin"])
	add("checkin pickup", verdict.Ready, v, err)
	v, err = c.CheckIn(ctx, sign(t, unlisted))
	add("checkin unlisted", verdict.NotInList, v, err)
	check("arrived", verdict.AlreadyArrived, c.Codes["Popescu Andrei"])
	v, err = c.Override(ctx, c.Codes["Neagu Cristina"], "came early by train")
	add("override early", verdict.Overridden, v, err)
	if _, err := c.Record(ctx, id["Lupu Sorin"], store.PickedUp); err != nil {
		t.Fatal(err)
	}
	check("picked up", verdict.AlreadyPickedUp, c.Codes["Lupu Sorin"])

	c.At(9, 25)
	check("late", verdict.Late, c.Codes["Dumitrescu Ilinca"]) // 09:10, taken until 09:20
	row, err := c.CallNext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	add("called", verdict.CalledIn, verdict.Queue(c.Judging(), verdict.CalledIn, row.Booking, c.Time().Sub(row.Last.At)), nil)
	if row, err = c.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	add("served", verdict.ServedDone, verdict.Queue(c.Judging(), verdict.ServedDone, row.Booking, 0), nil)
	v, err = c.WalkIn(ctx, "Grigore Vieru", "lost")
	add("walk-in", verdict.WalkedIn, v, err)
	v, err = c.Refuse(ctx, id["Popescu Andrei"], "missing_documents")
	add("refused with a reason", verdict.Turned, v, err)
	check("refused, scanned again", verdict.Turned, c.Codes["Popescu Andrei"])

	c.At(12, 0)
	// Ionescu's 08:50 slot passed with nobody coming: a no-show, derived at
	// the clock or, in databases of older versions, as an event.
	noShow := store.Event{ID: "no-show-" + id["Ionescu Maria-Ștefania"], BookingID: id["Ionescu Maria-Ștefania"],
		Type: store.NoShow, At: at(9, 20), Counter: "system", Clerk: "system"}
	if err := c.DB.Append(ctx, noShow); err != nil {
		t.Fatal(err)
	}
	check("no-show", verdict.NoShowRecorded, c.Codes["Ionescu Maria-Ștefania"])
	return out
}

// rawKey is a message key shown as is because it has no translation.
var rawKey = regexp.MustCompile(`\b(app|booking|cancel|card|cli|conflict|doc|escort|event|fee|forged|help|kind|month|pack|reason|report|settings|state|status|sync|ui|verdict|walkin|warn|weekday|where)\.[a-z_]`)

// TestEveryVerdictMessageIsFilled runs every verdict the counter can give
// through Message in every language: no placeholder may be left unfilled,
// no key untranslated, and a verdict that recorded nothing must not say
// that an arrival was recorded.
func TestEveryVerdictMessageIsFilled(t *testing.T) {
	all := everyVerdict(t)
	seen := map[verdict.Name]bool{}
	for _, p := range all {
		seen[p.v.Name] = true
	}
	for _, n := range verdict.Names() {
		if !seen[n] {
			t.Errorf("no scenario gives the verdict %s", n)
		}
	}
	recorded := map[i18n.Lang]string{i18n.English: "arrival recorded", i18n.Romanian: "sosire înregistrată"}
	for _, p := range all {
		for _, l := range i18n.Langs {
			m := p.v.Message(l)
			texts := append(append([]string{m.Title, m.Who, m.Detail}, m.Lines...), m.Help...)
			for _, s := range texts {
				if strings.ContainsAny(s, "{}") || rawKey.MatchString(s) {
					t.Errorf("%s (%s, %s): unfilled message %q", p.how, p.v.Name, l, s)
				}
			}
			says := strings.Contains(strings.ToLower(m.Title+" "+m.Detail), recorded[l])
			if p.v.Recorded == nil && says {
				t.Errorf("%s (%s, %s): nothing was recorded, yet the message says %q", p.how, p.v.Name, l, m.Detail)
			}
			if p.v.Recorded != nil && p.v.Name != verdict.WalkedIn && p.v.Name != verdict.Turned && !says {
				t.Errorf("%s (%s, %s): an arrival was recorded, yet the message says %q", p.how, p.v.Name, l, m.Detail)
			}
		}
	}
}

// An arrival the hub recorded itself (counter "system", in old logs) names
// the hub in words, never "counter system".
func TestHubRecordNamesNoCounter(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC).Format(time.RFC3339)
	for _, n := range []verdict.Name{verdict.AlreadyArrived, verdict.AlreadyPickedUp} {
		for _, tt := range []struct {
			counter string
			want    map[i18n.Lang]string
		}{
			{"2", map[i18n.Lang]string{i18n.Romanian: "ghișeul 2", i18n.English: "counter 2"}},
			{store.SystemCounter, map[i18n.Lang]string{i18n.Romanian: "hubul biroului", i18n.English: "office hub"}},
		} {
			v := verdict.Verdict{Name: n, Details: map[string]string{"at": at, "counter": tt.counter}}
			for l, want := range tt.want {
				if d := v.Message(l).Detail; !strings.Contains(d, want) || strings.Contains(d, "system") {
					t.Errorf("%s, counter %s, %s: %q", n, tt.counter, l, d)
				}
			}
		}
	}
}
