package service

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/outbox"
	"firebot/store"
)

// buildMux mounts the callback endpoints and the health, readiness and
// metrics handlers on the public mux (the admin API is served only on the
// admin socket; see startAdmin).
func (s *Service) buildMux() error {
	s.readyKey = newReadyKey()
	mux, err := front{
		cfg: s.Config, registry: s.Registry, real: s.Real, logger: s.Logger, log: s.log,
		httpClient: s.opts.HTTPClient, media: s.Client,
		memory: store.Callbacks{Store: s.Store}, handler: s.handler,
		// Wake the outbox worker once a message's pushes are committed,
		// and the office's jobs after an office message.
		afterCommit: func(m *bot.Message) { s.Outbox.Kick(); s.kickOffice(m) },
		ready:       s.ready,
	}.mux()
	s.mux = mux
	return err
}

// front is what the public mux is built from: the deployment-wide
// configuration (WeCom callbacks, media directory), where each message's
// unit of work runs (one store's memory, or a route to a street's), the
// handler, and the readiness check.
type front struct {
	cfg         *config.Config
	registry    *prometheus.Registry
	real        clock.Clock
	logger, log *slog.Logger
	httpClient  *http.Client
	media       bot.MediaSource
	memory      bot.Memory
	route       func(ctx context.Context, m *bot.Message) (bot.Memory, error)
	handler     bot.Handler
	afterCommit func(*bot.Message)
	ready       func(ctx context.Context) error
}

// mux mounts the callback endpoints, /healthz, /readyz and /metrics.
func (f front) mux() (*http.ServeMux, error) {
	cfg := f.cfg
	mux := http.NewServeMux()
	metrics := bot.NewMetrics(f.registry)
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
			f.log.Info("callback not configured; requests refused", "path", c.path)
			mux.Handle(c.path, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "callback not configured", http.StatusNotFound)
			}))
			continue
		}
		codec, err := bot.NewCodec(c.token, c.aesKey, c.receiveID, nil)
		if err != nil {
			return nil, fmt.Errorf("service: %s: %w", c.path, err)
		}
		ep := bot.NewEndpoint(bot.EndpointOptions{
			Channel:     c.ch,
			Codec:       codec,
			Renderer:    bot.Renderer{Clock: f.real, CorpID: cfg.WeCom.CorpID},
			Memory:      f.memory,
			Route:       f.route,
			Handler:     f.handler,
			Pusher:      outbox.ReplyPusher{},
			AfterCommit: f.afterCommit,
			Fetcher:     &bot.Downloader{Dir: cfg.Media.Dir, HTTPClient: f.httpClient, Cipher: codec.Cipher(), Media: f.media},
			Real:        f.real,
			Metrics:     metrics,
			Logger:      f.logger,
			MaxAge:      cfg.WeCom.CallbackMaxAge,
			Budget:      cfg.WeCom.ReplyBudget,
			DedupeTTL:   config.DedupeMemory,
		})
		mux.Handle(c.path, ep)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := f.ready(ctx); err != nil {
			f.log.Warn("not ready", "check", "readyz", "err", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(f.registry, promhttp.HandlerOpts{}))
	return mux, nil
}
