// Package configtest loads the production example configuration
// (config.example.yaml at the repository root, and the example district
// district.example.yaml with its streets/) for tests, so fixtures match
// what firebot runs with.
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

// DistrictPath is the example district file's name (district.example.yaml,
// whose street files are in streets/ beside it).
func DistrictPath() string {
	return filepath.Join(filepath.Dir(Path()), "district.example.yaml")
}

// District returns a freshly loaded copy of the example district (three
// streets of 渝中区) whose store and media live in the test's temp dir, in
// the shared sections and in every street's Config; any problem in it fails
// the test.
func District(tb testing.TB) *config.District {
	tb.Helper()
	dist, problems, err := config.LoadDistrict(DistrictPath())
	if err != nil {
		tb.Fatalf("example district: %v", err)
	}
	if len(problems) > 0 {
		tb.Fatalf("example district: %v", problems)
	}
	dir := tb.TempDir()
	for _, c := range append([]*config.Config{dist.Shared}, streetConfigs(dist)...) {
		c.Store.Path = filepath.Join(dir, "firebot.db")
		c.Media.Dir = filepath.Join(dir, "media")
	}
	return dist
}

func streetConfigs(dist *config.District) []*config.Config {
	var out []*config.Config
	for _, s := range dist.Streets {
		out = append(out, s.Config)
	}
	return out
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
