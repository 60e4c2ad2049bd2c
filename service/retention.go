package service

import (
	"context"
	"time"

	"firebot/archive"
)

// retain deletes nominees' personal data privacy.retention after their
// campaign's last deadline, archived campaigns included, and the stored
// exports that retention no longer allows (media.exports_keep, or written
// before a redaction): once at start and then daily (real time; the check
// itself reads the campaign clock).
func (s *Service) retain(ctx context.Context) {
	log := s.Logger.With("component", "retention")
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if done, err := archive.Redact(ctx, s.Store, s.Config, s.Campaign.Now()); err != nil {
			if ctx.Err() == nil {
				log.Warn("redaction failed", "err", err)
			}
		} else if len(done) > 0 {
			log.Info("personal data of nominees deleted", "campaigns", len(done))
		}
		// After Redact: exports written before a redaction go too.
		if gone, err := archive.PruneExports(ctx, s.Store, s.Config, s.Campaign.Now(), s.Real.Now()); err != nil {
			if ctx.Err() == nil {
				log.Warn("pruning stored exports failed", "err", err)
			}
		} else if len(gone) > 0 {
			log.Info("stored exports removed", "jobs", len(gone))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
