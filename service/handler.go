package service

import (
	"firebot/bot"
	"firebot/handlers"
	"firebot/office"
)

// defaultHandler is the conversation layer: the command router with its
// dialogs.
func (s *Service) defaultHandler() bot.Handler {
	s.Router = handlers.New(handlers.Deps{Config: s.Config, Campaign: s.Campaign, Logger: s.Logger})
	office.Register(s.Router, s.officeDeps())
	return s.Router
}
