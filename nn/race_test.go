//go:build race

package nn

// raceEnabled: the race detector makes values escape, so allocation counts do not hold.
const raceEnabled = true
