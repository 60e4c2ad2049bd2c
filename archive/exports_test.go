package archive

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"firebot/config"
)

// writeJob writes an export job's folder with a workbook, stamped at.
func writeJob(t *testing.T, cfg *config.Config, id string, at time.Time) string {
	t.Helper()
	dir := filepath.Join(ExportsDir(cfg), id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "汇总表.xlsx")
	if err := os.WriteFile(file, []byte("workbook with 13800138000"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, dir} {
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Stored exports go after media.exports_keep, and at once when retention
// removes personal data they hold; exports written after that stay.
func TestPruneExports(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.cfg.Media.Dir = t.TempDir()
	f.fill(t, "2023-119")
	// The campaign clock and the real clock agree (production).
	now := lastDeadline.Add(10 * 24 * time.Hour)
	old := writeJob(t, f.cfg, "JOB-old", now.Add(-31*24*time.Hour))
	recent := writeJob(t, f.cfg, "JOB-recent", now.Add(-24*time.Hour))
	os.WriteFile(filepath.Join(ExportsDir(f.cfg), "stray.txt"), []byte("x"), 0o600)

	gone, err := PruneExports(ctx, f.st, f.cfg, now, now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gone, []string{old}) || exists(old) || !exists(recent) {
		t.Fatalf("removed %v; old exists %v, recent exists %v", gone, exists(old), exists(recent))
	}
	if !exists(filepath.Join(ExportsDir(f.cfg), "stray.txt")) {
		t.Error("a file that is no job folder was removed")
	}

	// Retention ends: Redact removes the phones, and the recent export,
	// written before, holds them.
	redactAt := lastDeadline.Add(config.DefaultRetention)
	recent = writeJob(t, f.cfg, "JOB-recent", redactAt.Add(-24*time.Hour))
	if red, err := Redact(ctx, f.st, f.cfg, redactAt); err != nil || len(red) != 1 {
		t.Fatalf("redact: %v, %v", red, err)
	}
	after := writeJob(t, f.cfg, "JOB-after", redactAt.Add(time.Hour))
	gone, err = PruneExports(ctx, f.st, f.cfg, redactAt.Add(2*time.Hour), redactAt.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gone, []string{recent}) || exists(recent) || !exists(after) {
		t.Errorf("removed %v; recent exists %v, after exists %v", gone, exists(recent), exists(after))
	}
	// Running again removes nothing more.
	if gone, err := PruneExports(ctx, f.st, f.cfg, redactAt.Add(3*time.Hour), redactAt.Add(3*time.Hour)); err != nil || len(gone) != 0 {
		t.Errorf("again: %v, %v", gone, err)
	}
	// Without any folder, nothing to do.
	f.cfg.Media.Dir = filepath.Join(t.TempDir(), "none")
	if gone, err := PruneExports(ctx, f.st, f.cfg, now, now); err != nil || gone != nil {
		t.Errorf("no exports folder: %v, %v", gone, err)
	}
}
