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
	calls *prometheus.CounterVec
}

// newCallMetrics registers the call counter on reg (nil: no metrics). Clients
// sharing one registry (several applications in one process) share the
// counter.
func newCallMetrics(reg prometheus.Registerer, log *slog.Logger) *callMetrics {
	if reg == nil {
		return nil
	}
	cv := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: CallsMetric,
		Help: "Outbound WeCom API calls by API and errcode (0 = ok; http_<status>, malformed, timeout, network, canceled when WeCom sent no errcode).",
	}, []string{"api", "errcode"})
	if err := reg.Register(cv); err != nil {
		var are prometheus.AlreadyRegisteredError
		existing, ok := (*prometheus.CounterVec)(nil), false
		if errors.As(err, &are) {
			existing, ok = are.ExistingCollector.(*prometheus.CounterVec)
		}
		if !ok {
			log.Warn("wecom: call metrics not registered", "err", err)
			return nil
		}
		cv = existing
	}
	return &callMetrics{calls: cv}
}

// observe counts one call to api that ended with err.
func (m *callMetrics) observe(api string, err error) {
	if m == nil {
		return
	}
	m.calls.WithLabelValues(api, outcome(err)).Inc()
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
