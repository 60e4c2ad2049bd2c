// Package configtest loads the production example configuration
// (config.example.yaml at the repository root) for tests, so fixtures
// match what firebot runs with.
package configtest

import (
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"firebot/config"
)

// Path is the example configuration's file name.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "config.example.yaml")
}

// Example returns a freshly parsed copy of the example configuration (tests
// may change it) whose store and media live in the test's temp dir; any
// problem in it fails the test.
func Example(tb testing.TB) *config.Config {
	tb.Helper()
	cfg, problems, err := config.Load(Path())
	if err != nil {
		tb.Fatalf("example config: %v", err)
	}
	if len(problems) > 0 {
		tb.Fatalf("example config: %v", problems)
	}
	dir := tb.TempDir()
	cfg.Store.Path = filepath.Join(dir, "firebot.db")
	cfg.Media.Dir = filepath.Join(dir, "media")
	return cfg
}

// At is a campaign time ("2006-01-02 15:04") in the example's timezone.
func At(tb testing.TB, s string) time.Time {
	tb.Helper()
	loc, err := time.LoadLocation(config.DefaultTimezone)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}
