//go:build race

package pack

// raceEnabled: the race detector's shadow memory inflates a process's
// peak memory, which the bomb tests then only report.
const raceEnabled = true
