package service

import (
	"context"
	"errors"
	"fmt"

	"firebot/config"
	"firebot/store"
)

// SeedStore writes the configured roster on a store's first start and the
// configured webhook keys on every start (the file is where an office fixes
// a wrong key). Command-line tools that open the store themselves call it
// too, so they see the same roster the service would.
func SeedStore(tx store.Tx, cfg *config.Config) error {
	if _, err := store.SeedRoster(tx, cfg.Units, "config"); err != nil {
		return err
	}
	for _, u := range cfg.Units {
		for _, c := range u.Chats {
			if err := store.LearnWebhookKey(tx, c.ID, c.WebhookKey.Reveal()); err != nil {
				return err
			}
		}
	}
	for _, c := range cfg.Access.OfficeChats {
		if err := store.LearnWebhookKey(tx, c.ID, c.WebhookKey.Reveal()); err != nil {
			return err
		}
	}
	return nil
}

// prepareStore refuses to mix rehearsal and live data, and seeds the roster
// on the store's first start.
func (s *Service) prepareStore(ctx context.Context) error {
	mode := "live"
	if s.Rehearsal {
		mode = "rehearsal"
	}
	return s.Store.Update(ctx, func(tx store.Tx) error {
		cur, err := store.GetMeta(tx, metaMode)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if err := store.PutMeta(tx, metaMode, mode); err != nil {
				return err
			}
		case err != nil:
			return err
		case cur != mode:
			return modeMismatch(cur, mode)
		}
		return SeedStore(tx, s.Config)
	})
}

const metaMode = "mode"

// IsRehearsal reports whether the store was made by a rehearsal (serve
// -now), whose records are on a simulated campaign clock.
func IsRehearsal(tx store.Tx) (bool, error) {
	mode, err := store.GetMeta(tx, metaMode)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return mode == "rehearsal", err
}

// ErrModeMismatch: serve -now on a live store, or a live serve on a
// rehearsal store.
var ErrModeMismatch = errors.New("service: store mode mismatch")

func modeMismatch(stored, wanted string) error {
	if stored == "live" {
		return fmt.Errorf("%w：这个数据存储是正式运行用的，不能用来演练（-now 会把提醒推送到真实的群里）。请为演练换一个 store.path 或 key_prefix", ErrModeMismatch)
	}
	return fmt.Errorf("%w：这个数据存储是演练（-now）用的，不能用于正式运行。请换一个 store.path 或 key_prefix", ErrModeMismatch)
}
