package service

import (
	"firebot/bot"
	"firebot/handlers"
	"firebot/scheduler/schedcmd"
)

// defaultHandler is the conversation layer: the command router with its
// dialogs, and the commands of the other parts (reminders' mute).
func (s *Service) defaultHandler() bot.Handler {
	s.Router = handlers.New(handlers.Deps{Config: s.Config, Campaign: s.Campaign, Logger: s.Logger})
	for _, c := range schedcmd.Commands() {
		s.Router.Register(c)
	}
	return s.Router
}
