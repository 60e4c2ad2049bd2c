package service

import (
	"context"
	"time"

	"firebot/archive"
)

// retain deletes nominees' personal data privacy.retention after their
// campaign's last deadline, archived campaigns included: once at start and
// then daily (real time; the check itself reads the campaign clock).
func (s *Service) retain(ctx context.Context) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if done, err := archive.Redact(ctx, s.Store, s.Config, s.Campaign.Now()); err != nil {
			if ctx.Err() == nil {
				s.Logger.Warn("retention: redaction failed", "err", err)
			}
		} else if len(done) > 0 {
			s.Logger.Info("retention: personal data of nominees deleted", "campaigns", len(done))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
