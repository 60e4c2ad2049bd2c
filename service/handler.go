package service

import (
	"firebot/bot"
	"firebot/handlers"
	"firebot/office"
	"firebot/scheduler/schedcmd"
)

// defaultHandler is the conversation layer: the command router with its
// dialogs, the reminders' mute commands and the office tools.
func (s *Service) defaultHandler() bot.Handler {
	s.Router = handlers.New(handlers.Deps{Config: s.Config, Campaign: s.Campaign, Logger: s.Logger})
	for _, c := range schedcmd.Commands() {
		s.Router.Register(c)
	}
	office.Register(s.Router, s.officeDeps())
	return s.Router
}
