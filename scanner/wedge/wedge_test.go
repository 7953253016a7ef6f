package wedge

import (
	"reflect"
	"testing"
	"time"
)

// keys replays text at one key per gap starting at t0, then Enter after the
// same gap, then a Tick long after, and collects every action.
func keys(d *Detector, text string, gap time.Duration, enter bool) []Action {
	t := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var out []Action
	for _, r := range text {
		t = t.Add(gap)
		out = append(out, d.Rune(r, t)...)
	}
	if enter {
		t = t.Add(gap)
		out = append(out, d.Enter(t)...)
	}
	return append(out, d.Tick(t.Add(time.Second))...)
}

func TestDetector(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		gap   time.Duration
		enter bool
		want  []Action
	}{
		{"scanner burst", "GHABCDEFGHJKLMNPQR", 5 * time.Millisecond, true,
			[]Action{{Scan, "GHABCDEFGHJKLMNPQR"}}},
		{"slow scanner", "GHABCDEFGHJKLMNPQR", 35 * time.Millisecond, true,
			[]Action{{Scan, "GHABCDEFGHJKLMNPQR"}}},
		{"scanner with AIM prefix", "]Q1GHABCDEF", 3 * time.Millisecond, true,
			[]Action{{Scan, "GHABCDEF"}}},
		{"person typing a name", "Popescu", 120 * time.Millisecond, false,
			typed("Popescu")},
		{"person typing then Enter", "Pop", 150 * time.Millisecond, true,
			append(typed("Pop"), Action{Kind: Submit})},
		{"short fast burst is not a scan", "abc", 5 * time.Millisecond, true,
			[]Action{{Type, "abc"}, {Kind: Submit}}},
		{"fast burst without Enter is typing", "GHABCDEFGH", 5 * time.Millisecond, false,
			[]Action{{Type, "GHABCDEFGH"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keys(New(), tt.text, tt.gap, tt.enter)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func typed(s string) []Action {
	var out []Action
	for _, r := range s {
		out = append(out, Action{Type, string(r)})
	}
	return out
}

func TestTypingThenScan(t *testing.T) {
	// A person types two letters into the search box, pauses, and a code is
	// scanned: the letters stay typing and the code is a scan of its own.
	d := New()
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var got []Action
	got = append(got, d.Rune('P', t0)...)
	got = append(got, d.Rune('o', t0.Add(150*time.Millisecond))...)
	at := t0.Add(time.Second)
	for _, r := range "GHABCDEFGH" {
		at = at.Add(4 * time.Millisecond)
		got = append(got, d.Rune(r, at)...)
	}
	got = append(got, d.Enter(at.Add(4*time.Millisecond))...)
	want := []Action{{Type, "P"}, {Type, "o"}, {Scan, "GHABCDEFGH"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GHABC", "GHABC"},
		{"]Q1GHABC", "GHABC"},
		{"]Q3GHABC\r\n", "GHABC"},
		{"\x02GH\x00ABC\x03", "GHABC"},
		{"  GHABC\t", "GHABC"},
		{"]", "]"},
		{"]QxGHABC", "]QxGHABC"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHiccups(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	code := "GHABCDEFGHJKLMNPQR"
	// feed plays code at 5 ms a key with one pause of pause before key at.
	feed := func(at int, pause time.Duration) []Action {
		d := New()
		var out []Action
		now := t0
		for i, r := range code {
			now = now.Add(5 * time.Millisecond)
			if i == at {
				now = now.Add(pause)
				out = append(out, d.Tick(now.Add(-time.Millisecond))...) // the timer fired during the pause
			}
			out = append(out, d.Rune(r, now)...)
		}
		return append(out, d.Enter(now.Add(5*time.Millisecond))...)
	}
	tests := []struct {
		name  string
		at    int
		pause time.Duration
		want  []Action
	}{
		{"late key after the burst is established", 10, 120 * time.Millisecond, []Action{{Scan, code}}},
		{"late key near the start", 3, 120 * time.Millisecond,
			[]Action{{Type, "GHA"}, {Retract, "GHA"}, {Scan, code}}},
		{"a real pause is not a hiccup", 3, time.Second,
			[]Action{{Type, "GHA"}, {Scan, code[3:]}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feed(tt.at, tt.pause); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	// A person typing slowly and then pressing Enter is never taken back.
	d := New()
	now := t0
	var out []Action
	for _, r := range "Popescu" {
		now = now.Add(150 * time.Millisecond)
		out = append(out, d.Rune(r, now)...)
	}
	out = append(out, d.Tick(now.Add(time.Second))...)
	for _, a := range out {
		if a.Kind == Retract || a.Kind == Scan {
			t.Fatalf("typing was taken for a scan: %v", out)
		}
	}
}
