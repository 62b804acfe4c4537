//go:build race

package batch

// raceEnabled shrinks the big-input test: the race detector makes it ~10x slower.
const raceEnabled = true
