package archive

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"firebot/config"
	"firebot/store"
)

// ExportsDir is where the office's 导出 jobs leave their files, one folder
// per job (media.dir/exports/JOB-…).
func ExportsDir(cfg *config.Config) string { return filepath.Join(cfg.Media.Dir, "exports") }

// PruneExports removes stored export jobs' folders that retention no
// longer allows: those older than media.exports_keep, and those written
// before Redact last removed personal data of any campaign (the workbooks
// in them still hold the phones and deeds it removed). A folder's age is
// that of its newest file. campaignNow is the campaign clock (Redact's
// times are on it), realNow the real clock (files are stamped by it). It
// returns the folders removed.
func PruneExports(ctx context.Context, st store.Store, cfg *config.Config, campaignNow, realNow time.Time) ([]string, error) {
	var redacted time.Time
	if err := st.View(ctx, func(tx store.Tx) error {
		return eachCampaign(tx, func(k known) error {
			if k.RedactedAt.After(redacted) {
				redacted = k.RedactedAt
			}
			return nil
		})
	}); err != nil {
		return nil, fmt.Errorf("archive: prune exports: %w", err)
	}
	keep := cfg.Media.ExportsKeep
	if keep <= 0 {
		keep = config.DefaultExportsKeep
	}
	cutoff := realNow.Add(-keep)
	if !redacted.IsZero() {
		// The redaction's moment on the real clock.
		if r := realNow.Add(-campaignNow.Sub(redacted)); r.After(cutoff) {
			cutoff = r
		}
	}
	root := ExportsDir(cfg)
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("archive: prune exports: %w", err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		newest, err := newestFile(dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !newest.Before(cutoff) {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, dir)
	}
	sort.Strings(removed)
	if len(errs) > 0 {
		return removed, fmt.Errorf("archive: prune exports: %w", errors.Join(errs...))
	}
	return removed, nil
}

// newestFile is the latest modification time in dir, the folder's own
// included.
func newestFile(dir string) (time.Time, error) {
	var newest time.Time
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
		return nil
	})
	return newest, err
}
