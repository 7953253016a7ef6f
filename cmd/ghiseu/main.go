// Command ghiseu is the counter app of a Romanian ID-card office. With no
// subcommand it opens the counter window; "check", "checkin", "list",
// "report" and the other commands ("ghiseu help" lists them) work on the
// command line with no display. A word that is no command is refused
// ("unknown command", exit 2), and the window without a display says so
// and exits 1 before it opens any database.
package main

import (
	"context"
	"os"
	"strings"

	"github.com/ghiseu/ghiseu/cmd/internal/cli"
	"github.com/ghiseu/ghiseu/cmd/internal/memlog"
	// Fyne is linked for the GUI, so its package inits run on the command
	// line too; this one runs first and keeps Fyne's locale lookup from
	// printing errors under a C.UTF-8 locale (see its package comment).
	_ "github.com/ghiseu/ghiseu/cmd/internal/localeenv"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "display" { // the waiting room's screen (display.go)
		os.Exit(runDisplay(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "kiosk" { // the self check-in kiosk (kiosk.go)
		os.Exit(runKiosk(os.Args[2:]))
	}
	if len(os.Args) > 1 && (cli.IsCommand(os.Args[1]) || cli.IsHelp(os.Args[1])) {
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") { // a mistyped command: "unknown command" and the list, never the window
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	memlog.WatchFromEnv() // for the soak test: memory on SIGUSR1
	os.Exit(runGUI(os.Args[1:]))
}
