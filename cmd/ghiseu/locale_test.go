package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLineUnderCLocale runs the real binary's command line (demo,
// which writes, and list, which reads) under the C and POSIX locales, as
// scripts and services often do: stderr must hold no Fyne line. Fyne's
// locale lookup used to complain about "C" at every start under C.UTF-8,
// because the command line and the GUI share one binary.
func TestCommandLineUnderCLocale(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "g.db")
	tests := []struct {
		name string
		env  []string
	}{
		{"LANG=C LC_ALL=C", []string{"LANG=C", "LC_ALL=C"}},
		{"LANG=C", []string{"LANG=C"}},
		{"LANG=C.UTF-8", []string{"LANG=C.UTF-8"}},
		{"LC_ALL=C.UTF-8", []string{"LANG=ro_RO.UTF-8", "LC_ALL=C.UTF-8"}},
		{"LC_MESSAGES=C.utf8", []string{"LC_MESSAGES=C.utf8"}},
		{"LANG=POSIX", []string{"LANG=POSIX"}},
		{"no locale at all", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, args := range [][]string{{"demo", "--db", db}, {"list", "--db", db}} {
				cmd := exec.Command(bin, args...)
				cmd.Env = append(withoutLocale(os.Environ()), tt.env...)
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				if err := cmd.Run(); err != nil {
					t.Fatalf("ghiseu %s: %v\n%s", args[0], err, errb.String())
				}
				if strings.Contains(errb.String(), "Fyne") {
					t.Fatalf("ghiseu %s, stderr:\n%s", args[0], errb.String())
				}
				if out.Len() == 0 {
					t.Fatalf("ghiseu %s printed nothing", args[0])
				}
			}
		})
	}
}

// withoutLocale is env without the locale variables.
func withoutLocale(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name != "LANG" && name != "LANGUAGE" && !strings.HasPrefix(name, "LC_") {
			out = append(out, kv)
		}
	}
	return out
}
