package report

import (
	"fmt"
	"os"

	"github.com/ghiseu/ghiseu/store"
)

// Create opens path for writing a report, emptying it, readable and
// writable by its owner only whatever the umask (a report names the
// clerks), also when the file was already there with a wider mode.
func Create(path string) (*os.File, error) {
	f, err := store.CreatePrivate(path)
	if err != nil {
		return nil, fmt.Errorf("create report: %w", err)
	}
	return f, nil
}
