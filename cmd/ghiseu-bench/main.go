// Command ghiseu-bench measures Ghișeu and prints tables:
//
//	ghiseu-bench import            day-pack imports: 100 bookings and a million
//	ghiseu-bench decode --corpus D QR decoding on a photo corpus
//	ghiseu-bench startup           a counter's start on a national-size database
//	ghiseu-bench hub               the office hub under 20 and 50 counters syncing at once
//	ghiseu-bench soak              the counter window's memory over a shift of scans
//	ghiseu-bench portal            the booking rush: 1,000 citizens at 100 free slots at once
//	ghiseu-bench calls             call-to-screen latency: a counter's calls to the waiting room's screen over a hub
package main

import (
	"fmt"
	"os"
)

func main() {
	commands := map[string]func([]string) error{
		"import":     benchImport,
		"import-one": importOne,
		"decode":     benchDecode,
		"startup":    benchStartup,
		"hub":        benchHub,
		"soak":       benchSoak,
		"portal":     benchPortal,
		"calls":      benchCalls,
	}
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: ghiseu-bench import [--sizes 100,1000000] | decode --corpus DIR [-v] | startup [--bookings 33000] [--days 8] [--ghiseu BIN] | hub [--counters 20,50] [--seconds 60] | soak [--scans 2000] [--languages 100] [--supervisors 50] | portal [--citizens 1000] [--slots 100] [--smtp-down 5s] | calls [--calls 50] [--gap 300ms] [--nudge=false]")
		os.Exit(2)
	}
	if err := commands[os.Args[1]](os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "ghiseu-bench:", err)
		os.Exit(1)
	}
}
