//go:build !race

package session_test

// raceDetector is true when the tests run under the race detector, which
// changes what the heap holds.
const raceDetector = false
