package service

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"firebot/bot"
	"firebot/config"
	"firebot/outbox"
	"firebot/store"
)

// buildMux mounts the callback endpoints and the health, readiness and
// metrics handlers on the public mux (the admin API is served only on the
// admin socket; see startAdmin).
func (s *Service) buildMux() error {
	cfg := s.Config
	s.readyKey = newReadyKey()
	s.mux = http.NewServeMux()
	metrics := bot.NewMetrics(s.Registry)
	type channel struct {
		path      string
		ch        bot.Channel
		token     string
		aesKey    string
		receiveID string
	}
	channels := []channel{
		{"/wecom/robot", bot.ChannelRobot, cfg.WeCom.Robot.Token.Reveal(), cfg.WeCom.Robot.EncodingAESKey.Reveal(), cfg.WeCom.Robot.ReceiveID},
		{"/wecom/aibot", bot.ChannelAibot, cfg.WeCom.AIBot.Token.Reveal(), cfg.WeCom.AIBot.EncodingAESKey.Reveal(), ""},
		{"/wecom/app", bot.ChannelApp, cfg.WeCom.Token.Reveal(), cfg.WeCom.EncodingAESKey.Reveal(), cfg.WeCom.CorpID},
	}
	for _, c := range channels {
		if c.token == "" || c.aesKey == "" {
			s.log.Info("callback not configured; requests refused", "path", c.path)
			s.mux.Handle(c.path, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "callback not configured", http.StatusNotFound)
			}))
			continue
		}
		codec, err := bot.NewCodec(c.token, c.aesKey, c.receiveID, nil)
		if err != nil {
			return fmt.Errorf("service: %s: %w", c.path, err)
		}
		ep := &bot.Endpoint{
			Channel:  c.ch,
			Codec:    codec,
			Renderer: bot.Renderer{Clock: s.Real, CorpID: cfg.WeCom.CorpID},
			Memory:   store.Callbacks{Store: s.Store},
			Handler:  s.handler,
			Pusher:   outbox.ReplyPusher{},
			// Wake the outbox worker once a message's pushes are committed.
			AfterCommit: func(*bot.Message) { s.Outbox.Kick() },
			Fetcher:     &bot.Downloader{Dir: cfg.Media.Dir, HTTPClient: s.opts.HTTPClient, Cipher: codec.Cipher(), Media: s.Client},
			Real:        s.Real,
			Metrics:     metrics,
			Logger:      s.Logger,
			MaxAge:      cfg.WeCom.CallbackMaxAge,
			Budget:      cfg.WeCom.ReplyBudget,
			DedupeTTL:   config.DedupeMemory,
		}
		s.mux.Handle(c.path, ep)
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := s.ready(ctx); err != nil {
			s.log.Warn("not ready", "check", "readyz", "err", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{}))
	return nil
}
