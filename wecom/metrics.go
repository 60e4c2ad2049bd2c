package wecom

import (
	"context"
	"errors"
	"log/slog"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// CallsMetric is the counter of outbound calls, labelled by api
// ("webhook/send", "gettoken", ...) and errcode.
const CallsMetric = "firebot_wecom_calls_total"

// CallDurationMetric is the histogram of outbound calls' latency by api.
const CallDurationMetric = "firebot_wecom_call_duration_seconds"

// APIs are the api label values of the calls the client makes; their
// series exist from start-up (errcode "0", an empty histogram).
var APIs = []string{
	"gettoken", "message/send", "message/update_template_card",
	"appchat/create", "appchat/get", "appchat/send",
	"media/upload", "media/get", "webhook/send", "webhook/upload_media",
}

// Values of the errcode label for calls that got no errcode from WeCom.
const (
	OutcomeHTTP      = "http_" // + status, e.g. "http_502"
	OutcomeMalformed = "malformed"
	OutcomeTimeout   = "timeout"
	OutcomeNetwork   = "network"
	OutcomeCanceled  = "canceled"
)

// callMetrics counts outbound calls; a nil *callMetrics counts nothing.
type callMetrics struct {
	calls    *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newCallMetrics registers the call counter on reg (nil: no metrics). Clients
// sharing one registry (several applications in one process) share the
// counter.
func newCallMetrics(reg prometheus.Registerer, log *slog.Logger) *callMetrics {
	if reg == nil {
		return nil
	}
	cv := register(reg, log, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: CallsMetric,
		Help: "Outbound WeCom API calls by API and errcode (0 = ok; http_<status>, malformed, timeout, network, canceled when WeCom sent no errcode).",
	}, []string{"api", "errcode"}))
	hv := register(reg, log, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    CallDurationMetric,
		Help:    "Duration of outbound WeCom API calls by API, whatever their outcome.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"api"}))
	if cv == nil || hv == nil {
		return nil
	}
	for _, api := range APIs {
		cv.WithLabelValues(api, "0")
		hv.WithLabelValues(api)
	}
	return &callMetrics{calls: cv, duration: hv}
}

// register registers c on reg, or returns the collector already
// registered under its name (clients sharing one registry share it); nil
// when neither works.
func register[C prometheus.Collector](reg prometheus.Registerer, log *slog.Logger, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		log.Warn("call metrics not registered", "err", err)
		var zero C
		return zero
	}
	return c
}

// observe counts one call to api that ended with err after seconds.
func (m *callMetrics) observe(api string, err error, seconds float64) {
	if m == nil {
		return
	}
	m.calls.WithLabelValues(api, outcome(err)).Inc()
	m.duration.WithLabelValues(api).Observe(seconds)
}

// outcome is the errcode label of a call's result.
func outcome(err error) string {
	if err == nil {
		return "0"
	}
	if code, ok := apiCode(err); ok {
		return strconv.Itoa(code)
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return OutcomeHTTP + strconv.Itoa(he.Status)
	}
	if errors.Is(err, ErrMalformedResponse) {
		return OutcomeMalformed
	}
	if errors.Is(err, context.Canceled) {
		return OutcomeCanceled
	}
	var ne *NetError
	if errors.As(err, &ne) && ne.Timeout() {
		return OutcomeTimeout
	}
	return OutcomeNetwork
}
