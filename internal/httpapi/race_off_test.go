//go:build !race

package httpapi_test

// raceDetector reports whether the tests run under the race detector,
// which makes SQLite's writes about twenty times slower.
const raceDetector = false
