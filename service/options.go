package service

import (
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"firebot/bot"
	"firebot/clock"
	"firebot/office"
	"firebot/store"
	"firebot/wecom"
)

// Options are the run-time choices made on the command line, and the
// seams tests use.
type Options struct {
	// Now starts the campaign clock at this time (a rehearsal); nil: real time.
	Now *time.Time
	// Speed runs the campaign clock this many times faster (<= 0 means 1).
	Speed float64
	// Logger receives the service's logs; nil discards them.
	Logger *slog.Logger
	// Version is the binary's version, exported as firebot_build_info.
	Version string

	// Real replaces the real clock (tests).
	Real clock.Clock
	// Campaign replaces the campaign clock (tests, simulator); it implies a
	// rehearsal store unless Live is set.
	Campaign clock.Clock
	// Live marks an injected Campaign clock as production time.
	Live bool
	// Store replaces the configured store (tests); the service closes it.
	Store store.Store
	// Handler replaces the conversation handlers (protocol tests).
	Handler bot.Handler
	// HTTPClient is used for outbound WeCom calls and image downloads.
	HTTPClient *http.Client
	// Listener replaces listening on server.listen (tests pass a
	// 127.0.0.1:0 listener); AdminListener replaces the admin socket (only
	// Unix connections are let in: callers are known by peer credentials).
	Listener, AdminListener net.Listener
	// OutboxPoll is how often the outbox worker looks for due entries
	// without being kicked (default 1s).
	OutboxPoll time.Duration
	// OfficeTick is how often the office's background work (delivery
	// reports, given-up pushes, 导出 and 图表 jobs) runs without an office
	// message waking it (default 5s).
	OfficeTick time.Duration
	// OutboxPool and OutboxVisibility replace the outbox worker's pool
	// size and claim visibility (outbox.Options; tests that kill a
	// replica while it holds claims).
	OutboxPool       int
	OutboxVisibility time.Duration
	// ManualScheduler starts no reminder loop: the owner steps it with
	// RunSchedulerUntil (tests and the simulator).
	ManualScheduler bool
	// Exporter replaces the 导出 workbook builder (tests that stop a
	// replica in the middle of an export).
	Exporter office.Exporter
	// JobLease is how long a replica holds an office job (导出, 图表)
	// before another replica may take it over (default 10 minutes; tests
	// that kill a replica shorten it instead of waiting).
	JobLease time.Duration
	// ManualOutbox starts no delivery loop: the owner calls
	// Outbox.DeliverDue itself (tests and the simulator, which deliver in
	// step with their clocks).
	ManualOutbox bool

	// part makes the Service one street of a District: it shares the
	// district's WeCom client and metrics registry and serves no HTTP of
	// its own (the district's endpoints route callbacks to it).
	part *partOf
}

// partOf is what a street shares with its District.
type partOf struct {
	street   string
	staff    map[string]bool // the district's users, read-only in the street
	client   *wecom.Client
	registry *prometheus.Registry
}
