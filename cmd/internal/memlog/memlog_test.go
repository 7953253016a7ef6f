package memlog

import (
	"path/filepath"
	"testing"
)

func TestSamplesAppendAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.jsonl")
	for range 3 {
		if err := appendSample(path, Take()); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d samples, want 3", len(got))
	}
	for _, s := range got {
		if s.HeapLive == 0 || s.RSS == 0 || s.Goroutines == 0 || s.At.IsZero() {
			t.Errorf("an empty measure: %+v", s)
		}
	}
}
