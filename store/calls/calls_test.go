package calls_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/calls"
	"github.com/ghiseu/ghiseu/store/desk"
	"github.com/ghiseu/ghiseu/store/desk/desktest"
)

// day writes arrivals with tickets for n of the demo day's people and
// returns their rows, earliest slot first.
func day(t *testing.T, c *desktest.Counter, n int) []desk.Row {
	t.Helper()
	rows, err := c.Day(context.Background(), "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < n {
		t.Fatalf("the demo day has %d people, the test needs %d", len(rows), n)
	}
	return rows[:n]
}

// write appends an event of type typ for row r at counter at hh:mm.
func write(t *testing.T, c *desktest.Counter, r desk.Row, typ store.EventType, counter, ticket string, hh, mm int) store.Event {
	t.Helper()
	loc := c.Cal.Location()
	e := store.Event{ID: store.NewEventID(), BookingID: r.ID, Type: typ, Counter: counter, Clerk: "ana", Ticket: ticket,
		At: time.Date(2026, 11, 23, hh, mm, 0, 0, loc)}
	if err := c.DB.Append(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func feed(t *testing.T, c *desktest.Counter, hh, mm int) calls.Feed {
	t.Helper()
	c.At(hh, mm)
	f, err := calls.Compute(context.Background(), c.DB, c.Cal, c.Time())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestWaitingAndExpectedWait(t *testing.T) {
	c := desktest.New(t)
	rows := day(t, c, 5)
	for i, r := range rows {
		write(t, c, r, store.Arrived, "1", []string{"D-001", "D-002", "D-003", "D-004", "D-005"}[i], 8, 30+i)
	}
	for _, tc := range []struct {
		name           string
		do             func()
		at             [2]int
		waiting, calls int
		service        float64
		open, expected int
	}{
		{"five arrived, no service yet: the office's slot length", func() {}, [2]int{8, 40}, 5, 0, 20, 1, 100},
		{"two called at two counters", func() {
			write(t, c, rows[0], store.Called, "1", "", 8, 40)
			write(t, c, rows[1], store.Called, "2", "", 8, 41)
		}, [2]int{8, 42}, 3, 2, 20, 2, 30},
		{"served after 10 and 14 minutes: mean 12 over 2 counters", func() {
			write(t, c, rows[0], store.Served, "1", "", 8, 50)
			write(t, c, rows[1], store.Served, "2", "", 8, 55)
		}, [2]int{8, 56}, 3, 2, 12, 2, 18},
		{"a call again is a call, not a new person served", func() {
			write(t, c, rows[2], store.Called, "1", "", 8, 57)
			write(t, c, rows[2], store.Recalled, "1", "", 8, 58)
		}, [2]int{8, 59}, 2, 4, 12, 2, 12},
		{"counter 2 idle for over an hour: one counter open", func() {}, [2]int{9, 58}, 2, 4, 12, 1, 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.do()
			f := feed(t, c, tc.at[0], tc.at[1])
			if f.Waiting != tc.waiting || len(f.Calls) != tc.calls || f.ServiceMinutes != tc.service ||
				f.OpenCounters != tc.open || f.ExpectedWaitMinutes != tc.expected {
				t.Errorf("waiting %d, calls %d, service %.1f min, open %d, expected %d min; want %d, %d, %.1f, %d, %d",
					f.Waiting, len(f.Calls), f.ServiceMinutes, f.OpenCounters, f.ExpectedWaitMinutes,
					tc.waiting, tc.calls, tc.service, tc.open, tc.expected)
			}
		})
	}
	f := feed(t, c, 9, 0)
	want := []calls.Call{{Ticket: "D-001", Counter: "1"}, {Ticket: "D-002", Counter: "2"}, {Ticket: "D-003", Counter: "1"}, {Ticket: "D-003", Counter: "1", Repeat: true}}
	for i, w := range want {
		got := f.Calls[i]
		if got.Ticket != w.Ticket || got.Counter != w.Counter || got.Repeat != w.Repeat {
			t.Errorf("call %d: %+v, want %+v", i, got, w)
		}
		if i > 0 && got.Seq <= f.Calls[i-1].Seq {
			t.Errorf("calls not in the log's order: %+v", f.Calls)
		}
	}
	if f.Seq < f.Calls[len(f.Calls)-1].Seq {
		t.Errorf("feed seq %d behind its last call %d", f.Seq, f.Calls[len(f.Calls)-1].Seq)
	}
	if len(f.Hours) == 0 || calls.Merged(f.Hours)[0] != (calls.Hours{Start: "08:30", End: "13:00"}) {
		t.Errorf("Monday's hours: %+v", f.Hours)
	}
}

func TestUndoneCallIsNotShown(t *testing.T) {
	c := desktest.New(t)
	r := day(t, c, 1)[0]
	write(t, c, r, store.Arrived, "1", "D-001", 8, 30)
	call := write(t, c, r, store.Called, "1", "", 8, 35)
	if f := feed(t, c, 8, 36); len(f.Calls) != 1 || f.Waiting != 0 {
		t.Fatalf("after the call: %+v", f)
	}
	u := store.Event{ID: store.NewEventID(), BookingID: r.ID, Type: store.Undone, Undoes: call.ID, Counter: "1", Clerk: "ana", At: call.At.Add(time.Minute)}
	if err := c.DB.Append(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if f := feed(t, c, 8, 37); len(f.Calls) != 0 || f.Waiting != 1 {
		t.Errorf("after the undo: %d calls, %d waiting; want 0, 1", len(f.Calls), f.Waiting)
	}
}

// TestNoPersonalData: the feed's JSON holds no name, booking ID, code or
// reference of anybody of the day.
func TestNoPersonalData(t *testing.T) {
	c := desktest.New(t)
	rows := day(t, c, 4)
	for i, r := range rows {
		write(t, c, r, store.Arrived, "1", "D-00"+string(rune('1'+i)), 8, 30+i)
		write(t, c, r, store.Called, "1", "", 8, 40+i)
	}
	raw, err := json.Marshal(feed(t, c, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	if !strings.Contains(s, `"ticket":"D-004"`) {
		t.Fatalf("the feed lacks the calls: %s", s)
	}
	for _, r := range rows {
		for what, v := range map[string]string{"name": r.Name, "booking ID": r.ID, "code": r.Code, "reference": r.Ref} {
			if v != "" && strings.Contains(s, v) {
				t.Errorf("the feed holds %s %q: %s", what, v, s)
			}
		}
		for _, part := range strings.Fields(r.Name) {
			if len(part) > 3 && strings.Contains(s, part) {
				t.Errorf("the feed holds part of a name %q: %s", part, s)
			}
		}
	}
	for _, key := range []string{`"name"`, `"booking_id"`, `"id"`, `"code"`, `"clerk"`} {
		if strings.Contains(s, key) {
			t.Errorf("the feed has a field %s: %s", key, s)
		}
	}
}

func TestWaitReturnsOnNewEventAndAtWait(t *testing.T) {
	c := desktest.New(t)
	r := day(t, c, 1)[0]
	write(t, c, r, store.Arrived, "1", "D-001", 8, 30)
	src := calls.Local{DB: c.DB, Now: c.Time}
	ctx := context.Background()
	f, err := src.Wait(ctx, 0, time.Second)
	if err != nil || f.Seq == 0 {
		t.Fatalf("first wait: %+v, %v", f, err)
	}
	start := time.Now()
	g, err := src.Wait(ctx, f.Seq, 300*time.Millisecond)
	if err != nil || g.Seq != f.Seq || time.Since(start) < 250*time.Millisecond {
		t.Errorf("nothing new: seq %d after %v, %v; want %d after the wait", g.Seq, time.Since(start), err, f.Seq)
	}
	go func() {
		time.Sleep(200 * time.Millisecond)
		write(t, c, r, store.Called, "2", "", 8, 40)
	}()
	start = time.Now()
	g, err = src.Wait(ctx, f.Seq, 10*time.Second)
	if err != nil || len(g.Calls) != 1 || time.Since(start) > 3*time.Second {
		t.Errorf("a call: %+v after %v, %v", g, time.Since(start), err)
	}
	// A log behind the asker's (another hub): answered at once.
	start = time.Now()
	if g, err = src.Wait(ctx, f.Seq+1000, 10*time.Second); err != nil || time.Since(start) > 3*time.Second {
		t.Errorf("an asker ahead of the log waited %v (%v)", time.Since(start), err)
	}
}
