package rescode

import (
	"errors"
	"strings"
	"testing"
)

func TestNewParsesBack(t *testing.T) {
	for i := 0; i < 100; i++ {
		c := New()
		ref, err := Parse(c)
		if err != nil {
			t.Fatalf("Parse(New()=%q): %v", c, err)
		}
		if ref.Key != c {
			t.Fatalf("Parse(%q).Key = %q", c, ref.Key)
		}
	}
}

func TestParse(t *testing.T) {
	code := New()
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"as issued", code, code, nil},
		{"caps lock", strings.ToLower(code), code, nil},
		{"typed in groups", code[:6] + " " + code[6:12] + "-" + code[12:], code, nil},
		{"surrounding space", "  " + code + "\n", code, nil},
		{"empty", "", "", ErrNotACode},
		{"url", "https://example.com/x", "", ErrNotACode},
		{"truncated", code[:len(code)-1], "", ErrNotACode},
		{"wrong prefix", "XX" + code[2:], "", ErrNotACode},
		{"zero is not in the alphabet", code[:17] + "0", "", ErrNotACode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := Parse(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if ref.Key != tt.want {
				t.Fatalf("Parse(%q).Key = %q, want %q", tt.in, ref.Key, tt.want)
			}
		})
	}
}
