package sync

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghiseu/ghiseu/store"
	"github.com/ghiseu/ghiseu/store/hub"
)

// fakeHub is a Transport that keeps events in memory and can be cut off.
type fakeHub struct {
	down   bool
	events []store.Event
	pushes int
}

var errDown = errors.New("connection refused")

func (f *fakeHub) Hello(context.Context) (Hello, error) {
	if f.down {
		return Hello{}, errDown
	}
	return Hello{Office: "B1", Counter: "1"}, nil
}

func (f *fakeHub) Pack(_ context.Context, etag string, _ io.Writer) (string, bool, error) {
	if f.down {
		return "", false, errDown
	}
	return etag, false, nil
}

func (f *fakeHub) Push(_ context.Context, es []store.Event, _ []store.Booking) (hub.Answer, error) {
	if f.down {
		return hub.Answer{}, errDown
	}
	f.pushes++
	var a hub.Answer
	for _, e := range es {
		e.Seq = int64(len(f.events) + 1)
		f.events = append(f.events, e)
		a.Events = append(a.Events, store.Result{ID: e.ID, Status: store.ResultAccepted, Counter: e.Counter})
	}
	return a, nil
}

func (f *fakeHub) Pull(_ context.Context, after int64) ([]store.Event, int64, error) {
	if f.down {
		return nil, after, errDown
	}
	if int(after) >= len(f.events) {
		return nil, after, nil
	}
	return f.events[after:], int64(len(f.events)), nil
}

func TestOfflineAndBack(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fake := &fakeHub{}
	clock := time.Date(2026, 11, 23, 10, 42, 0, 0, time.UTC)
	changes := 0
	db.SetHubLinked(ctx)
	s := &Syncer{DB: db, T: fake, Link: Enrolment{Office: "B1"}, Now: func() time.Time { return clock }, OnChange: func() { changes++ }}
	if err := s.Once(ctx); err != nil || !s.Status().Online() {
		t.Fatalf("first round: %v, %+v", err, s.Status())
	}
	fake.down = true
	for i := 0; i < 3; i++ {
		db.Append(ctx, store.Event{ID: "e" + string(rune('a'+i)), BookingID: "b", Type: store.Arrived, At: clock, Counter: "1"})
	}
	s.Once(ctx)
	clock = clock.Add(5 * time.Minute)
	s.Once(ctx)
	st := s.Status()
	if st.Online() || !st.Since.Equal(time.Date(2026, 11, 23, 10, 42, 0, 0, time.UTC)) || st.Pending != 3 || st.Err == nil {
		t.Fatalf("while the hub is down: %+v (offline since must stay at the first failure)", st)
	}
	fake.events = append(fake.events, store.Event{ID: "other", BookingID: "c", Type: store.Arrived, At: clock, Counter: "2", Seq: 1})
	fake.down = false
	if err := s.Once(ctx); err != nil {
		t.Fatal(err)
	}
	st = s.Status()
	if !st.Online() || st.Pending != 0 || !st.Since.IsZero() || changes == 0 {
		t.Fatalf("back online: %+v, %d changes", st, changes)
	}
	if es, _ := db.Events(ctx, "c"); len(es) != 1 {
		t.Fatalf("the other counter's event did not arrive: %v", es)
	}
	pushes := fake.pushes
	s.Once(ctx)
	if fake.pushes != pushes {
		t.Fatal("acknowledged events were sent again")
	}
}
