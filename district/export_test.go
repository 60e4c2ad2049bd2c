package district

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestPruneExports(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2023, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, f := range []struct {
		name string
		age  time.Duration
	}{
		{"old.xlsx", 31 * 24 * time.Hour},
		{".export-1.tmp", 40 * 24 * time.Hour},
		{"recent.xlsx", 29 * 24 * time.Hour},
		{"notes.txt", 90 * 24 * time.Hour}, // not an export: left alone
		{"new.xlsx", 0},
	} {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-f.age), now.Add(-f.age)); err != nil {
			t.Fatal(err)
		}
	}
	prune(dir, now.Add(-30*24*time.Hour))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"new.xlsx", "notes.txt", "recent.xlsx"}; !slices.Equal(left, want) {
		t.Errorf("left %q, want %q", left, want)
	}
}
