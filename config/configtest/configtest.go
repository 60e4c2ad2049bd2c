// Package configtest loads the production example configuration
// (config.example.yaml at the repository root) for tests, so fixtures
// match what firebot runs with.
package configtest

import (
	"path/filepath"
	"runtime"
	"testing"

	"firebot/config"
)

// Path is the example configuration's file name.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "config.example.yaml")
}

// Example returns a freshly parsed copy of the example configuration (tests
// may change it); any problem in it fails the test.
func Example(tb testing.TB) *config.Config {
	tb.Helper()
	cfg, problems, err := config.Load(Path())
	if err != nil {
		tb.Fatalf("example config: %v", err)
	}
	if len(problems) > 0 {
		tb.Fatalf("example config: %v", problems)
	}
	return cfg
}
