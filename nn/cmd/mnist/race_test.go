//go:build race

package main

// raceEnabled: the test binary runs under the race detector, where training is an order of
// magnitude slower.
const raceEnabled = true
