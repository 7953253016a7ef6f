package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestArgumentsWithoutDisplay runs the real binary with no display, as over
// SSH: "help" lists the commands, a mistyped command says "unknown
// command" (exit 2) instead of opening the window, and the window itself
// says in one line that there is no display (exit 1), with no Go panic; no
// data is made in the default data directory by any of them.
func TestArgumentsWithoutDisplay(t *testing.T) {
	bin := buildBinary(t)
	home := t.TempDir()
	data, config := filepath.Join(home, "share"), filepath.Join(home, "config")
	env := []string{"HOME=" + home, "XDG_DATA_HOME=" + data, "XDG_CONFIG_HOME=" + config,
		"PATH=" + os.Getenv("PATH"), "GHISEU_LANG=en"} // no DISPLAY, no WAYLAND_DISPLAY
	for _, tt := range []struct {
		args           []string
		exit           int
		stdout, stderr string // what each must contain
		lines          int    // stderr's lines at most, 0: any
	}{
		{[]string{"help"}, 0, "ghiseu checkin CODE|REF|NAME", "", 0},
		{[]string{"--help"}, 0, "ghiseu report", "", 0},
		{[]string{"list", "-h"}, 0, "ghiseu list [--day", "", 0},
		{[]string{"lsit"}, 2, "", "unknown command: “lsit”", 0},
		{[]string{"--counter", "2", "lsit"}, 2, "", "unknown command: “lsit”", 0},
		{[]string{"--clerk", "Ana Pop", "chek", "x"}, 2, "", "ghiseu check CODE", 0},
		{nil, 1, "", "no display (neither DISPLAY nor WAYLAND_DISPLAY", 1},
		{[]string{"--clerk", "Ana Pop", "--counter", "3"}, 1, "", "the command line works", 1},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, bin, tt.args...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		cancel()
		exit := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			exit = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if exit != tt.exit || !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errOut.String(), tt.stderr) {
			t.Errorf("%v: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q on stdout, %q on stderr",
				tt.args, exit, tt.exit, out.String(), errOut.String(), tt.stdout, tt.stderr)
		}
		if n := strings.Count(strings.TrimSpace(errOut.String()), "\n") + 1; tt.lines > 0 && n > tt.lines {
			t.Errorf("%v: %d lines on stderr, want %d:\n%s", tt.args, n, tt.lines, errOut.String())
		}
		if strings.Contains(errOut.String(), "panic") || strings.Contains(errOut.String(), "GLFW") {
			t.Errorf("%v: %s", tt.args, errOut.String())
		}
	}
	for _, dir := range []string{data, config} {
		if entries, err := os.ReadDir(dir); !os.IsNotExist(err) {
			t.Errorf("%s was made (%v): %v", dir, err, entries)
		}
	}
}
