package wedge

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// code has a reservation code's shape: the prefix and 151 digits, 153
// characters in all, like the demo office's codes.
var code = Prefix + strings.Repeat("X123456789ABCDEFGHIJKLMNPQRSTUVW", 5)[:151]

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// keys replays text at one key per gap starting at t0, then Enter after the
// same gap, then a Tick long after, and collects every action.
func keys(d *Detector, text string, gap time.Duration, enter bool) []Action {
	t := t0
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
		{"scanner burst", code, 5 * time.Millisecond, true, []Action{{Scan, code}}},
		{"slow scanner", code, 35 * time.Millisecond, true, []Action{{Scan, code}}},
		{"scanner behind Caps Lock", strings.ToLower(code), 5 * time.Millisecond, true,
			[]Action{{Scan, strings.ToLower(code)}}},
		{"scanner with AIM prefix", "]Q1" + code, 3 * time.Millisecond, true, []Action{{Scan, code}}},
		{"person typing a name", "Popescu", 120 * time.Millisecond, false, typed("Popescu")},
		{"person typing then Enter", "Pop", 150 * time.Millisecond, true,
			append(typed("Pop"), Action{Kind: Submit})},
		{"short fast burst is not a scan", "GHX", 5 * time.Millisecond, true,
			[]Action{{Type, "GHX"}, {Kind: Submit}}},
		{"fast burst of a code's start is not a scan", code[:60], 5 * time.Millisecond, true,
			[]Action{{Type, code[:60]}, {Kind: Submit}}},
		{"fast burst without Enter is typing", code, 5 * time.Millisecond, false, []Action{{Type, code}}},
		{"a fast staff number is released at once", "48213", 2 * time.Millisecond, true,
			append(typed("48213"), Action{Kind: Submit})},
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
	var got []Action
	got = append(got, d.Rune('P', t0)...)
	got = append(got, d.Rune('o', t0.Add(150*time.Millisecond))...)
	at := t0.Add(time.Second)
	for _, r := range code {
		at = at.Add(4 * time.Millisecond)
		got = append(got, d.Rune(r, at)...)
	}
	got = append(got, d.Enter(at.Add(4*time.Millisecond))...)
	want := []Action{{Type, "P"}, {Type, "o"}, {Scan, code}}
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

func TestShape(t *testing.T) {
	tests := []struct {
		in          string
		start, code bool
	}{
		{"", true, false},
		{"g", true, false},
		{"Gh", true, false},
		{"]", true, false},
		{"]Q1", true, false},
		{"]Q1GH", true, false},
		{"]1", false, false},
		{"GHO", false, false},
		{"GH0", false, false},
		{"GHY", false, false},
		{"Popescu", false, false},
		{"48213", false, false},
		{code, true, true},
		{strings.ToLower(code), true, true},
		{code[:MinCodeLen-1], true, false},
		{"XH" + code[2:], false, false},
	}
	for _, tt := range tests {
		if got := CouldBeCode(tt.in); got != tt.start {
			t.Errorf("CouldBeCode(%.20q) = %v", tt.in, got)
		}
		if got := LooksLikeCode(tt.in); got != tt.code {
			t.Errorf("LooksLikeCode(%.20q) = %v", tt.in, got)
		}
	}
}

func TestHiccups(t *testing.T) {
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
			[]Action{{Type, code[:3]}, {Retract, code[:3]}, {Scan, code}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feed(tt.at, tt.pause); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	// A stall of the PC mid-burst: the keys released meanwhile are taken
	// back, whether the stall came early or late, once or twice.
	for _, at := range []int{3, 50, 100, 140} {
		if text, scans := delivered(feed(at, 1500*time.Millisecond)); text != "" || len(scans) != 1 || scans[0] != code {
			t.Fatalf("a stall before key %d: typed %q, scanned %q", at, text, scans)
		}
	}
	// A pause longer than a stall splits the burst: neither half is a code.
	if text, scans := delivered(feed(100, 3*time.Second)); text != code+"\n" || len(scans) > 0 {
		t.Fatalf("a real pause: typed %q, scanned %q", text, scans)
	}
}

func TestTwoStalls(t *testing.T) {
	d := New()
	var out []Action
	now := t0
	for i, r := range code {
		now = now.Add(5 * time.Millisecond)
		if i == 40 || i == 90 {
			now = now.Add(700 * time.Millisecond)
			out = append(out, d.Tick(now.Add(-time.Millisecond))...)
		}
		out = append(out, d.Rune(r, now)...)
	}
	out = append(out, d.Enter(now.Add(5*time.Millisecond))...)
	if text, scans := delivered(out); text != "" || len(scans) != 1 || scans[0] != code {
		t.Fatalf("typed %q, scanned %q", text, scans)
	}
}

// TestTypingJustBeforeAScan: a person's letter is no part of the scan that
// follows it, even within a stall's length: the scan alone is a code.
func TestTypingJustBeforeAScan(t *testing.T) {
	d := New()
	out := d.Rune('G', t0)
	out = append(out, d.Tick(t0.Add(100*time.Millisecond))...)
	now := t0.Add(500 * time.Millisecond)
	for _, r := range code {
		now = now.Add(5 * time.Millisecond)
		out = append(out, d.Rune(r, now)...)
	}
	out = append(out, d.Enter(now.Add(5*time.Millisecond))...)
	if text, scans := delivered(out); text != "G" || len(scans) != 1 || scans[0] != code {
		t.Fatalf("typed %q, scanned %q", text, scans)
	}
}

// delivered is what actions type into a field (Enter as "\n"), and the
// scans among them.
func delivered(actions []Action) (text string, scans []string) {
	var b strings.Builder
	for _, a := range actions {
		switch a.Kind {
		case Type:
			b.WriteString(a.Text)
		case Submit:
			b.WriteString("\n")
		case Retract:
			s, _ := strings.CutSuffix(b.String(), a.Text)
			b.Reset()
			b.WriteString(s)
		case Scan:
			scans = append(scans, a.Text)
		}
	}
	return b.String(), scans
}

func TestForeignKeyInABurst(t *testing.T) {
	text := code[:80] + "0" + code[81:]
	if got, scans := delivered(keys(New(), text, 5*time.Millisecond, true)); got != text+"\n" || len(scans) > 0 {
		t.Fatalf("typed %q, scanned %q", got, scans)
	}
}
