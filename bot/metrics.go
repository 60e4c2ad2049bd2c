package bot

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts callbacks by channel and outcome and times them.
type Metrics struct {
	callbacks *prometheus.CounterVec
	latency   *prometheus.HistogramVec
}

// NewMetrics registers the callback metrics on reg (nil: not exported).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "firebot_callbacks_total",
			Help: "WeCom callbacks received, by channel and outcome.",
		}, []string{"kind", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "firebot_callback_duration_seconds",
			Help:    "Time from receiving a callback to answering it.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"kind"}),
	}
	if reg != nil {
		reg.MustRegister(m.callbacks, m.latency)
	}
	// Every channel's series exist from start-up.
	for _, ch := range []Channel{ChannelRobot, ChannelAibot, ChannelApp} {
		m.callbacks.WithLabelValues(string(ch), "ok")
		m.latency.WithLabelValues(string(ch))
	}
	return m
}

func (m *Metrics) observe(ch Channel, outcome string, seconds float64) {
	if m == nil {
		return
	}
	m.callbacks.WithLabelValues(string(ch), outcome).Inc()
	m.latency.WithLabelValues(string(ch)).Observe(seconds)
}
