package outbox

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"firebot/store"
)

// Metrics exports the outbox depth, its oldest entry's age and deliveries
// by status.
type Metrics struct {
	depth      prometheus.Gauge
	oldest     prometheus.Gauge
	deliveries *prometheus.CounterVec
}

// NewMetrics registers the outbox metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		depth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "firebot_outbox_depth", Help: "Outbox entries waiting for delivery (in flight included).",
		}),
		oldest: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "firebot_outbox_oldest_age_seconds", Help: "Age of the oldest waiting outbox entry.",
		}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "firebot_outbox_deliveries_total", Help: "Delivery attempts by outcome: sent, failed, retry.",
		}, []string{"status"}),
	}
	if reg != nil {
		reg.MustRegister(m.depth, m.oldest, m.deliveries)
	}
	for _, s := range []string{store.OutboxSent, store.OutboxFailed, "retry"} {
		m.deliveries.WithLabelValues(s) // series exist from start-up
	}
	return m
}

func (m *Metrics) delivered(status string) {
	if m != nil {
		m.deliveries.WithLabelValues(status).Inc()
	}
}

func (m *Metrics) refresh(ctx context.Context, st store.Store, now time.Time) {
	if m == nil {
		return
	}
	var depth int
	var oldest time.Time
	if err := st.View(ctx, func(tx store.Tx) error {
		var err error
		depth, oldest, err = store.OutboxPendingStats(tx)
		return err
	}); err != nil {
		return
	}
	m.depth.Set(float64(depth))
	if oldest.IsZero() {
		m.oldest.Set(0)
	} else {
		m.oldest.Set(now.Sub(oldest).Seconds())
	}
}
