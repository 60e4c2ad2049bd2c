package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"firebot/bot"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/district"
	"firebot/outbox"
	"firebot/store"
	"firebot/wecom"
)

// DistrictSpec is a deployment of many streets: the district's own staff
// and chats, and each street's complete configuration (the deployment-wide
// sections — server, WeCom, store, media — are the same in every street's).
type DistrictSpec struct {
	ID, Name string
	Users    []string        // district staff (district_users)
	Chats    []campaign.Chat // the district's own chats (district_chats)
	Streets  []StreetSpec
}

// StreetSpec is one street of a district.
type StreetSpec struct {
	ID, Name string
	Config   *config.Config
	// Store is the street's own store (its slot); the District closes
	// it on shutdown (a view of a shared backend closes nothing).
	Store store.Store
}

// District runs many streets in one process: one public mux whose
// callbacks are routed to their street before their unit of work, one
// WeCom client and one metrics registry shared by all, and per street the
// whole street stack (its store slot, conversation layer, reminders,
// outbox and office jobs) as a Service that serves no HTTP of its own.
// Messages of no street — the district staff's, and strangers' — run in
// the district's own store slot.
type District struct {
	Spec     DistrictSpec
	Streets  []*Service
	Store    store.Store // the district's slot
	Registry *prometheus.Registry
	Client   *wecom.Client
	Outbox   *outbox.Worker // the district's own pushes (its replies, too long to be passive)

	log      *slog.Logger
	real     clock.Clock
	opts     Options
	route    *router
	desk     *district.Desk
	root     store.Store // the backend the slots share (OpenDistrict), closed last
	mux      *http.ServeMux
	readyKey string
	server   *http.Server
	ln       net.Listener
	admin    *districtAdmin // the admin socket (district_ops.go)
	wg       sync.WaitGroup
	cancel   context.CancelFunc
	fanOut   chan struct{} // wakes runFanOut
}

// NewDistrict builds every street of spec on its own store slot and the
// district's front. districtStore is the district's own slot; it and the
// streets' stores are closed by Shutdown (or on error here).
func NewDistrict(ctx context.Context, spec DistrictSpec, districtStore store.Store, opts Options) (*District, error) {
	if len(spec.Streets) == 0 {
		return nil, errors.New("service: a district without streets")
	}
	d := &District{Spec: spec, Store: districtStore, Registry: prometheus.NewRegistry(), opts: opts, real: opts.Real, fanOut: make(chan struct{}, 1)}
	if d.real == nil {
		d.real = clock.Real{}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d.log = logger.With("component", "service")
	shared := spec.Streets[0].Config
	d.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), buildInfo(opts.Version))
	d.Client = wecom.New(wecom.Options{
		BaseURL: shared.WeCom.APIBaseURL, CorpID: shared.WeCom.CorpID, AgentID: shared.WeCom.AgentID,
		Secret: shared.WeCom.Secret.Reveal(), HTTPClient: opts.HTTPClient, Real: d.real,
		Tokens: storeTokens{districtStore}, Logger: logger, Metrics: d.Registry,
	})
	d.route = &router{
		district: districtStore, byID: map[string]*Service{}, real: d.real,
		chats: map[string]string{}, users: map[string]string{}, names: map[string]string{},
		staffChats: map[string]bool{}, staff: map[string]bool{},
	}
	for _, c := range spec.Chats {
		d.route.staffChats[c.ID] = true
	}
	for _, u := range spec.Users {
		d.route.staff[u] = true
	}
	for i := range spec.Streets {
		ss := &spec.Streets[i]
		// Each street's media under its own directory; district staff act
		// in a street as its office, read-only there (streetReadOnly);
		// they stay routed by staffStreet.
		ss.Config = StreetConfig(ss.Config, ss.ID, spec.Users)
		for _, n := range []string{ss.ID, ss.Name, strings.TrimSuffix(ss.Name, "街道")} {
			if n != "" {
				d.route.names[n] = ss.ID
			}
		}
		o := opts
		o.Store, o.Handler, o.Listener, o.AdminListener = ss.Store, nil, nil, nil
		o.OutboxPoll = streetPoll(opts.OutboxPoll, len(spec.Streets))
		o.OfficeTick = officePoll(opts.OfficeTick, len(spec.Streets))
		o.Logger = logger.With("street", ss.ID)
		o.part = &partOf{street: ss.ID, client: d.Client, registry: d.Registry, staff: d.route.staff}
		s, err := New(ctx, ss.Config, o)
		if err != nil {
			ss.Store.Close()
			d.closeAll()
			return nil, fmt.Errorf("service: street %s: %w", ss.ID, err)
		}
		d.Streets = append(d.Streets, s)
		d.route.streets = append(d.route.streets, s)
		d.route.byID[ss.ID] = s
		for _, c := range ss.Config.Access.OfficeChats {
			d.route.chats[c.ID] = ss.ID
		}
		for _, u := range ss.Config.Access.OfficeUsers {
			if d.route.staff[u] {
				continue
			}
			d.route.users[u] = ss.ID
		}
		for _, u := range ss.Config.Units {
			for _, c := range u.Chats {
				d.route.chats[c.ID] = ss.ID
			}
			for _, o := range u.Officers {
				d.route.users[o] = ss.ID
			}
		}
	}
	d.Outbox = outbox.New(outbox.Options{
		Store: districtStore, Client: d.Client, Real: d.real, Logger: logger,
		Stats: outbox.NewMetrics(prometheus.WrapRegistererWith(prometheus.Labels{"street": ""}, d.Registry)),
		Pool:  opts.OutboxPool, Visibility: opts.OutboxVisibility,
		GiveUpAfter: shared.Outbox.GiveUpAfter, Hold: shared.Placeholder(),
	})
	d.desk = &district.Desk{Name: spec.Name, Staff: d.route.staff, Chats: d.route.staffChats, Streets: d.streetViews(),
		Exports: district.ExportDir(shared.Media.Dir), Campaign: d.Streets[0].Campaign, Keep: shared.Media.ExportsKeep,
		Store: districtStore, Units: streetUnits(d.route.byID)}
	d.route.prepare = d.desk.Prepare
	if err := districtStore.Update(ctx, func(tx store.Tx) error { return d.desk.Seed(tx, spec.Chats) }); err != nil {
		d.closeAll()
		return nil, fmt.Errorf("service: district store: %w", err)
	}
	d.readyKey = newReadyKey()
	mux, err := front{
		cfg: shared, registry: d.Registry, real: d.real, logger: logger, log: d.log,
		httpClient: opts.HTTPClient, media: d.Client,
		route: d.route.route, handler: bot.HandlerFunc(d.handle),
		afterCommit: d.kick, ready: d.ready,
	}.mux()
	if err != nil {
		d.closeAll()
		return nil, err
	}
	d.mux = mux
	return d, nil
}

// A whole district's idle background work is bounded: each outbox poll is
// a read of its street's slot, each office tick several, and a thousand
// streets polling every second and ticking every 5 s kept a fifth of a
// core and the cluster busy doing nothing (docs/performance.md, 区级部署).
const (
	idlePollsPerSecond = 100 // outbox polls, all streets together
	idleTicksPerSecond = 20  // office ticks, all streets together
)

// streetPoll is how often each of n streets' outboxes polls: poll (one
// second by default), stretched in a large district so that all streets
// together stay within idlePollsPerSecond. New pushes wake their outbox
// at once (after the callback's commit, after a reminder fire); only
// retries and entries a dead replica left behind wait for the poll.
func streetPoll(poll time.Duration, n int) time.Duration {
	if poll <= 0 {
		poll = time.Second
	}
	return spread(poll, n, idlePollsPerSecond)
}

// officePoll is how often each of n streets' office work runs without
// being woken: tick (officeTickEvery by default), stretched the same way
// within idleTicksPerSecond. An office message wakes it at once
// (kickOffice); only delivery reports and given-up pushes wait.
func officePoll(tick time.Duration, n int) time.Duration {
	if tick <= 0 {
		tick = officeTickEvery
	}
	return spread(tick, n, idleTicksPerSecond)
}

// spread is every, or in a district of more than perSecond streets
// longer, so that n streets doing something every so often do it at most
// perSecond times a second together.
func spread(every time.Duration, n, perSecond int) time.Duration {
	if n <= perSecond {
		return every
	}
	return max(every, time.Duration(n)*time.Second/time.Duration(perSecond))
}

// Street returns the street with id, or nil.
func (d *District) Street(id string) *Service { return d.route.byID[id] }

// street is the id of the street s serves in a District ("" alone).
func (s *Service) street() string {
	if s.opts.part == nil {
		return ""
	}
	return s.opts.part.street
}

// handle runs a routed message: its street's conversation layer, or the
// district's own when it belongs to no street.
func (d *District) handle(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
	if s := d.route.byID[m.Street]; s != nil {
		return s.handler.Handle(ctx, tx, m)
	}
	return d.desk.Handle(ctx, tx, m)
}

// kick wakes the outbox of the street a message committed to; after a
// district message, the district's outbox and its broadcast fan-out.
func (d *District) kick(m *bot.Message) {
	if s := d.route.byID[m.Street]; s != nil {
		s.Outbox.Kick()
		s.kickOffice(m)
		return
	}
	d.Outbox.Kick()
	d.kickFanOut()
}

// streetViews are the streets as district views read them.
func (d *District) streetViews() []district.Street {
	out := make([]district.Street, 0, len(d.Streets))
	for i, s := range d.Streets {
		out = append(out, district.Street{ID: d.Spec.Streets[i].ID, Name: d.Spec.Streets[i].Name, Campaign: &s.Config.Campaign, Config: s.Config, Store: s.Store,
			OfficeChats: s.Config.Access.OfficeChats, OfficeUsers: d.Spec.Streets[i].officeUsers(d.route.staff)})
	}
	return out
}

// ready checks the district's slot: on a shared backend (one bbolt file,
// one Redis deployment) the streets' slots live on the same servers, and
// writing to a thousand slots on every load-balancer probe would cost more
// than it tells.
func (d *District) ready(ctx context.Context) error { return storesReady(ctx, d.readyKey, d.Store) }

// Start listens and starts every street's background work and the
// district's outbox.
func (d *District) Start(ctx context.Context) error {
	ctx, d.cancel = context.WithCancel(context.WithoutCancel(ctx))
	ln, err := listen(d.opts.Listener, d.Streets[0].Config.Server.Listen)
	if err != nil {
		return err
	}
	d.ln = ln
	d.server = &http.Server{Handler: d.mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := d.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("http server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	d.startAdmin()
	for _, s := range d.Streets {
		if err := s.Start(ctx); err != nil {
			return err
		}
	}
	if !d.opts.ManualOutbox {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.Outbox.Run(ctx, d.opts.OutboxPoll)
		}()
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.runFanOut(ctx)
		}()
	}
	d.log.Info("firebot started", "listen", ln.Addr().String(), "admin_socket", d.AdminAddr(), "district", d.Spec.ID, "streets", len(d.Streets))
	return nil
}

// Addr is the callback listener's address (after Start).
func (d *District) Addr() string { return d.ln.Addr().String() }

// Shutdown drains callbacks, stops every street and closes the stores.
func (d *District) Shutdown(ctx context.Context) error {
	var errs []error
	if d.server != nil {
		if err := d.server.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if err := d.stopAdmin(ctx); err != nil {
		errs = append(errs, err)
	}
	if d.cancel != nil {
		d.cancel()
	}
	d.wg.Wait()
	return errors.Join(append(errs, d.closeAll())...)
}

// closeAll shuts every street down (closing its store) and closes the
// district's slot.
func (d *District) closeAll() error {
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, s := range slices.Backward(d.Streets) {
		if err := s.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	d.Streets = nil
	if err := d.Store.Close(); err != nil {
		errs = append(errs, err)
	}
	if d.root != nil {
		if err := d.root.Close(); err != nil {
			errs = append(errs, err)
		}
		d.root = nil
	}
	return errors.Join(errs...)
}

// officeUsers are the street's own office staff: without the district's,
// who act in it as office too (streetReadOnly).
func (ss StreetSpec) officeUsers(staff map[string]bool) []string {
	var out []string
	for _, u := range ss.Config.Access.OfficeUsers {
		if !staff[u] {
			out = append(out, u)
		}
	}
	return out
}
