package service

import (
	"errors"

	"firebot/archive"
	"firebot/bot"
	"firebot/handlers"
	"firebot/scheduler"
	"firebot/store"
)

// defaultHandler is the conversation layer: the command router with its
// dialogs and the archived-campaign guard, and every chat command
// (registerChat, service/commands.go).
func (s *Service) defaultHandler() bot.Handler {
	guards := []handlers.Middleware{handlers.RefuseWrites(archived)}
	if s.opts.part != nil {
		guards = append(guards, streetReadOnly(s.opts.part.staff))
	}
	s.Router = handlers.New(handlers.Options{
		Config: s.Config, Campaign: s.Campaign, Logger: s.Logger,
		Guards:      guards,
		GroupStatus: scheduler.MuteStatus(&s.Config.Campaign),
	})
	registerChat(s.Router, s.officeOptions())
	return s.Router
}

// archived reports whether the campaign's records may no longer change.
func archived(tx store.Tx, campaignID string) (bool, error) {
	err := archive.CheckWritable(tx, campaignID)
	if errors.Is(err, archive.ErrArchived) {
		return true, nil
	}
	return false, err
}
