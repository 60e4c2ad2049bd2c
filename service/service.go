// Package service runs firebot: it wires the configuration, the store, the
// two clocks, the WeCom client, the callback endpoints, the handlers, the
// outbox worker and the scheduler, and serves HTTP until its context ends.
//
// main only loads the configuration and calls Run; tests, the simulator and
// the benchmarks build a Service with New, inject what they fake (clocks,
// store, HTTP client, listeners) through Options, and drive it.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/handlers"
	"firebot/outbox"
	"firebot/scheduler"
	"firebot/store"
	"firebot/wecom"
)

// Service is a running firebot.
type Service struct {
	Config   *config.Config
	Store    store.Store
	Real     clock.Clock
	Campaign clock.Clock
	Client   *wecom.Client
	Outbox   *outbox.Worker
	Registry *prometheus.Registry
	// Logger is the root logger handed to the parts (each adds its own
	// component attribute).
	Logger *slog.Logger
	// Scheduler sends the configured reminders on the campaign clock.
	Scheduler *scheduler.Scheduler
	// Router is the conversation layer (nil when Options.Handler replaced
	// it); other parts register their chat commands on it.
	Router *handlers.Router

	// Rehearsal is true when the campaign clock is simulated.
	Rehearsal bool

	log        *slog.Logger // the service's own records (component=service)
	handler    bot.Handler
	readyKey   string // this process's marker written by /readyz
	mux        *http.ServeMux
	opts       Options
	officeKick chan struct{} // wakes runOffice (kickOffice)
	adminAddr  string        // the admin socket
	legacyAddr string        // server.admin_listen, when open
	servers    []*http.Server
	listeners  []net.Listener
	wg         sync.WaitGroup
	cancel     context.CancelFunc
}

// New builds a Service: it opens the store, checks the store's mode
// (rehearsal or live), seeds the roster on first start, and wires the
// components. It does not listen yet; see Start.
func New(ctx context.Context, cfg *config.Config, opts Options) (*Service, error) {
	// Setting up is short and must not be half-done by an early signal.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	s := &Service{Config: cfg, opts: opts, Logger: opts.Logger, Registry: prometheus.NewRegistry(),
		officeKick: make(chan struct{}, 1)}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	s.log = s.Logger.With("component", "service")
	s.Real = opts.Real
	if s.Real == nil {
		s.Real = clock.Real{}
	}
	switch {
	case opts.Campaign != nil:
		s.Campaign, s.Rehearsal = opts.Campaign, !opts.Live
	case opts.Now != nil:
		s.Campaign, s.Rehearsal = clock.NewScaled(s.Real, *opts.Now, opts.Speed), true
	default:
		s.Campaign = s.Real
	}
	if s.Rehearsal {
		s.log.Warn("rehearsal mode: the campaign clock is simulated", "start", s.Campaign.Now().In(cfg.Location).Format(time.RFC3339), "speed", opts.Speed)
	}
	st, err := openStore(ctx, cfg, opts, s.Real, s.Logger)
	if err != nil {
		return nil, err
	}
	s.Store = st
	if err := s.prepareStore(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if opts.part != nil {
		s.Registry, s.Client = opts.part.registry, opts.part.client
	} else {
		s.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), buildInfo(opts.Version))
		s.buildClient()
	}
	s.buildOutbox()
	if s.Scheduler, err = scheduler.New(scheduler.Options{Config: cfg, Store: s.Store, Campaign: s.Campaign, Logger: s.Logger}); err != nil {
		st.Close()
		return nil, err
	}
	s.handler = opts.Handler
	if s.handler == nil {
		s.handler = s.defaultHandler()
	}
	if opts.part != nil {
		return s, nil
	}
	if err := s.buildMux(); err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

func (s *Service) buildClient() {
	cfg := s.Config
	s.Client = wecom.New(wecom.Options{
		BaseURL:    cfg.WeCom.APIBaseURL,
		CorpID:     cfg.WeCom.CorpID,
		AgentID:    cfg.WeCom.AgentID,
		Secret:     cfg.WeCom.Secret.Reveal(),
		HTTPClient: s.opts.HTTPClient,
		Real:       s.Real,
		Tokens:     storeTokens{s.Store},
		Logger:     s.Logger,
		Metrics:    s.Registry,
	})
}

func (s *Service) buildOutbox() {
	reg := prometheus.Registerer(s.Registry)
	if s.opts.part != nil {
		reg = prometheus.WrapRegistererWith(prometheus.Labels{"street": s.opts.part.street}, reg)
	}
	hold := s.Config.Placeholder()
	s.Outbox = outbox.New(outbox.Options{
		Store:       s.Store,
		Client:      s.Client,
		Real:        s.Real,
		Logger:      s.Logger,
		Stats:       outbox.NewMetrics(reg),
		Pool:        s.opts.OutboxPool,
		Visibility:  s.opts.OutboxVisibility,
		GiveUpAfter: s.Config.Outbox.GiveUpAfter,
		Hold:        hold,
	})
	if hold {
		s.log.Warn("WeCom credentials are the example placeholders: the real WeCom is not called; outgoing messages stay in the outbox and are sent once real credentials are configured",
			"api_base_url", s.Config.WeCom.APIBaseURL)
	}
}

// Handler is the conversation handler the callback endpoints call.
func (s *Service) Handler() bot.Handler { return s.handler }

// Start listens on the callback and admin addresses and starts the
// background workers. It returns once the listeners are open, so /readyz
// answers as soon as Start returns.
func (s *Service) Start(ctx context.Context) error {
	ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if s.opts.part == nil {
		ln, err := listen(s.opts.Listener, s.Config.Server.Listen)
		if err != nil {
			return err
		}
		s.serve(ln, s.mux)
		s.startAdmin()
		s.log.Info("firebot started", "listen", ln.Addr().String(), "admin_socket", s.adminAddr, "store", s.Config.Store.Driver)
	}
	s.startWorkers(ctx)
	return nil
}

// startWorkers starts the background work: sweeping expired entries,
// retention, the reminder loop, delivery and the office's jobs.
func (s *Service) startWorkers(ctx context.Context) {
	if sw, ok := s.Store.(sweeper); ok {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.sweep(ctx, sw)
		}()
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.retain(ctx)
	}()
	if !s.opts.ManualScheduler {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := s.Scheduler.Run(ctx); err != nil {
				s.log.Error("scheduler stopped", "err", err)
			}
		}()
	}
	if !s.opts.ManualOutbox {
		s.wg.Add(2)
		go func() {
			defer s.wg.Done()
			s.Outbox.Run(ctx, s.opts.OutboxPoll)
		}()
		go func() {
			defer s.wg.Done()
			s.runOffice(ctx)
		}()
	}
}

func listen(given net.Listener, addr string) (net.Listener, error) {
	if given != nil {
		return given, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("service: listen %s: %w", addr, err)
	}
	return ln, nil
}

func (s *Service) serve(ln net.Listener, h http.Handler) {
	s.serveWith(ln, &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	})
}

func (s *Service) serveWith(ln net.Listener, srv *http.Server) {
	s.servers = append(s.servers, srv)
	s.listeners = append(s.listeners, ln)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
}

// sweeper is a store that collects its expired entries on request (the
// embedded store; Redis expires keys itself).
type sweeper interface {
	Sweep(ctx context.Context) (int, error)
}

func (s *Service) sweep(ctx context.Context, sw sweeper) {
	every(ctx, 10*time.Minute, func() {
		if n, err := sw.Sweep(ctx); err != nil {
			s.log.Warn("sweep expired entries", "err", err)
		} else if n > 0 {
			s.log.Debug("swept expired entries", "n", n)
		}
	})
}

// Addr is the callback listener's address (after Start).
func (s *Service) Addr() string { return s.listeners[0].Addr().String() }

// Shutdown drains in-flight callbacks, stops the workers and closes the
// store.
func (s *Service) Shutdown(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
	if err := s.Store.Close(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Run builds, starts and serves until ctx ends, then shuts down gracefully.
func Run(ctx context.Context, cfg *config.Config, opts Options) error {
	s, err := New(ctx, cfg, opts)
	if err != nil {
		return err
	}
	if err := s.Start(ctx); err != nil {
		s.Store.Close()
		return err
	}
	<-ctx.Done()
	s.log.Info("stopping firebot")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return s.Shutdown(shutdownCtx)
}

// buildInfo is firebot_build_info{version,goversion,revision} = 1.
func buildInfo(version string) prometheus.Collector {
	if version == "" {
		version = "dev"
	}
	revision := "unknown"
	goVersion := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "firebot_build_info",
		Help: "Always 1; the labels name the running build.",
	}, []string{"version", "goversion", "revision"})
	g.WithLabelValues(version, goVersion, revision).Set(1)
	return g
}
