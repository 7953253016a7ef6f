// Package memlog lets a running program report its memory when asked, for
// the soak benchmark and test: on SIGUSR1 it collects its garbage and
// appends one line to a file with its live heap and resident size, so a
// driver outside can follow the memory of a counter running for hours.
package memlog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Env names the file a program appends its samples to; unset, nothing is
// watched.
const Env = "GHISEU_MEMLOG"

// Sample is the memory of the program at one moment, after a collection.
type Sample struct {
	At         time.Time `json:"at"`
	HeapLive   uint64    `json:"heap_live"` // bytes of live objects
	HeapSys    uint64    `json:"heap_sys"`  // bytes the heap holds from the system
	RSS        uint64    `json:"rss"`       // bytes resident in memory
	Goroutines int       `json:"goroutines"`
}

// WatchFromEnv appends a Sample to the file named by Env each time the
// program gets SIGUSR1, and writes the heap's profile beside it (its name
// and ".heap", for go tool pprof); it does nothing when Env is unset.
func WatchFromEnv() {
	path := os.Getenv(Env)
	if path == "" {
		return
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			sample := Take()
			if err := writeProfile(path + ".heap"); err != nil { // first: whole once the sample is read
				slog.Error("heap profile", "path", path, "err", err)
			}
			if err := appendSample(path, sample); err != nil {
				slog.Error("memory sample", "path", path, "err", err)
			}
		}
	}()
}

// Take collects the garbage and measures the program's memory.
func Take() Sample {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return Sample{At: time.Now(), HeapLive: m.HeapAlloc, HeapSys: m.HeapSys, RSS: rss(), Goroutines: runtime.NumGoroutine()}
}

// rss is the resident set size from /proc (0 where there is none).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// writeProfile writes the heap's profile to path.
func writeProfile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func appendSample(path string, s Sample) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(f).Encode(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Read reads the samples of a file, oldest first.
func Read(path string) ([]Sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("memory samples: %w", err)
	}
	defer f.Close()
	var out []Sample
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s Sample
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, fmt.Errorf("memory samples %s: %w", path, err)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}
