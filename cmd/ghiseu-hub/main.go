// Command ghiseu-hub is the office's hub: it issues reservation codes and
// (see the README) keeps the office's bookings for its counters.
package main

import (
	"context"
	"os"

	"github.com/ghiseu/ghiseu/cmd/internal/hubcli"
)

func main() {
	os.Exit(hubcli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
