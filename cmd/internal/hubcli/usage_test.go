package hubcli

import (
	"context"
	"flag"
	"io"
	"strings"
	"testing"
)

// TestUsageNamesEveryFlag: the usage line of a hub command names every
// flag the command takes (issue 14: book's lacked --document and
// --pickup-office).
func TestUsageNamesEveryFlag(t *testing.T) {
	tests := []struct {
		name string
		cmd  hubCmd
	}{
		{"book", book},
		{"confirm", confirm},
		{"cancel", cancel},
		{"demo", demo},
		{"revoke", revoke},
		{"enroll", enroll},
		{"pack", writePack},
		{"init", initHub},
		{"serve", serve},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var line string // the command's line and its continuation lines
		lines:
			for _, l := range strings.Split(usage, "\n") {
				switch {
				case strings.HasPrefix(l, "  "+tt.name+" "):
					line = l
				case line != "" && strings.HasPrefix(l, "    "):
					line += " " + strings.TrimSpace(l)
				case line != "":
					break lines // the next command
				}
			}
			if line == "" {
				t.Fatalf("no usage line for %s", tt.name)
			}
			fs := flag.NewFlagSet(tt.name, flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			tt.cmd(context.Background(), nil, fs, nil, nil)
			fs.VisitAll(func(f *flag.Flag) {
				if !strings.Contains(line, "--"+f.Name+" ") && !strings.Contains(line, "--"+f.Name+"]") {
					t.Errorf("usage of %s lacks --%s: %q", tt.name, f.Name, line)
				}
			})
		})
	}
}
