package service

import (
	"context"

	"firebot/bot"
	"firebot/store"
)

// defaultHandler answers until the conversation layer is wired.
func (s *Service) defaultHandler() bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
		return bot.Reply{Text: "firebot 在线。"}, nil
	})
}
