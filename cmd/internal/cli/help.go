package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ghiseu/ghiseu/assets/i18n"
)

// synopses is each command's form, as -h and the command list print it.
var synopses = map[string]string{
	"check":               "check CODE|REF|NAME [--at TIME] [--json]",
	"checkin":             "checkin CODE|REF|NAME [--at TIME] [--json]",
	"accept":              "accept CODE|REF --reason TEXT   (supervisor password on stdin)",
	"list":                "list [--day YYYY-MM-DD] [--at TIME] [--json]",
	"demo":                "demo",
	"decode":              "decode FILE... [--json]   (the text of every QR code in the images, of at most 30 megapixels)",
	"import":              "import FILE",
	"link":                "link   (enrolment string on stdin)",
	"sync":                "sync [--loop 5s] [--retry-parked]",
	"parked":              "parked [--json]",
	"conflicts":           "conflicts [--day YYYY-MM-DD] [--json]",
	"report":              "report [--day YYYY-MM-DD] [--format text|csv|html] [--out FILE] [--json]",
	"purge":               "purge [--keep-days N]",
	"walkin":              "walkin --name NAME --reason REASON [--document cei|cis|cip] [--json]",
	"refuse":              "refuse CODE|REF|NAME --reason missing_documents|data_mismatch",
	"supervisor-password": "supervisor-password   (the password on stdin)",
}

// IsHelp reports whether arg asks for the list of commands: "help", "-h",
// "-help" or "--help".
func IsHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

// Usage writes the list of commands, in the language of GHISEU_LANG or
// l: the window's options first, then every command's form.
func Usage(w io.Writer, l i18n.Lang) {
	fmt.Fprintln(w, i18n.T(l, "cli.usage.window", nil))
	fmt.Fprintln(w, "  ghiseu [--db FILE] [--counter N] [--clerk NAME] [--camera DEVICE|none]")
	fmt.Fprintln(w, i18n.T(l, "cli.usage.screens", nil))
	fmt.Fprintln(w, "  ghiseu display [--db FILE] [--windowed]")
	fmt.Fprintln(w, "  ghiseu kiosk [--db FILE] [--camera DEVICE|none] [--windowed]")
	fmt.Fprintln(w, i18n.T(l, "cli.usage.commands", nil))
	names := make([]string, 0, len(Commands))
	for n := range Commands {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintln(w, "  ghiseu "+synopses[n])
	}
	fmt.Fprintln(w, i18n.T(l, "cli.usage.common", nil))
	fmt.Fprintln(w, "  [--db FILE] [--lang ro|en] [--counter N] [--clerk NAME]")
	fmt.Fprintln(w, i18n.T(l, "cli.usage.more", nil))
}

// help writes a command's form and its options (-h after the command).
func (e *env) help(w io.Writer, command string) {
	fmt.Fprintln(w, i18n.T(e.lang, "cli.usage.command", nil))
	fmt.Fprintln(w, "  ghiseu "+synopses[command])
	fmt.Fprintln(w, i18n.T(e.lang, "cli.usage.options", nil))
	fs := e.flags(new(strings.Builder))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// errHelp is what parse returns for -h or --help: Run prints the
// command's usage and exits with ExitOK.
var errHelp = flag.ErrHelp
