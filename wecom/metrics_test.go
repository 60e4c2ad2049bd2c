package wecom_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

// callCounts reads firebot_wecom_calls_total from reg as "api errcode" → count.
func callCounts(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != wecom.CallsMetric {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			got[labels["api"]+" "+labels["errcode"]] = m.GetCounter().GetValue()
		}
	}
	return got
}

func withMetrics(reg prometheus.Registerer) envOpt {
	return func(_ *fakewecom.Options, o *wecom.Options) { o.Metrics = reg }
}

func TestCallsCountedByAPIAndErrcode(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newEnv(t, withMetrics(reg))
	ctx := ctxT(t)
	e.srv.RegisterWebhookKey("k1", "chat1")

	// Each call's error is irrelevant here: the counter is what is checked.
	_, _ = e.client.SendText(ctx, users, "您好", 0) // gettoken + message/send
	_ = e.client.WebhookText(ctx, "k1", "提醒", nil, nil)
	_ = e.client.WebhookText(ctx, "gone", "提醒", nil, nil) // 93000
	e.srv.InjectFault("webhook/send", 1, fakewecom.HTTPStatus(502))
	_ = e.client.WebhookText(ctx, "k1", "提醒", nil, nil)
	e.srv.InjectFault("webhook/send", 1, fakewecom.MalformedJSON())
	_ = e.client.WebhookText(ctx, "k1", "提醒", nil, nil)
	e.srv.InjectFault("webhook/send", 1, fakewecom.SystemBusy())
	_ = e.client.WebhookText(ctx, "k1", "提醒", nil, nil)
	_, _ = e.client.GetMedia(ctx, "no-such-media") // 40007 as JSON
	e.srv.ExpireTokens()
	_, _ = e.client.SendText(ctx, users, "您好", 0)     // 42001, gettoken, retry
	_ = e.client.WebhookText(ctx, "", "提醒", nil, nil) // refused before any request: not counted

	want := map[string]float64{
		"gettoken 0":             2,
		"message/send 0":         2,
		"message/send 42001":     1,
		"webhook/send 0":         1,
		"webhook/send 93000":     1,
		"webhook/send http_502":  1,
		"webhook/send malformed": 1,
		"webhook/send -1":        1,
		"media/get 40007":        1,
	}
	got := callCounts(t, reg)
	// Every api's errcode-0 series exists from the start.
	for _, api := range wecom.APIs {
		if _, ok := got[api+" 0"]; !ok {
			t.Errorf("no preset series for %s", api)
		}
	}
	for k, v := range got {
		if v == 0 {
			delete(got, k)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	// Every counted call was timed too.
	perAPI := map[string]uint64{}
	for k, v := range want {
		api, _, _ := strings.Cut(k, " ")
		perAPI[api] += uint64(v)
	}
	mfs, _ := reg.Gather()
	timed := map[string]uint64{}
	for _, mf := range mfs {
		if mf.GetName() == wecom.CallDurationMetric {
			for _, m := range mf.GetMetric() {
				if n := m.GetHistogram().GetSampleCount(); n > 0 {
					timed[m.GetLabel()[0].GetValue()] = n
				}
			}
		}
	}
	if diff := cmp.Diff(perAPI, timed); diff != "" {
		t.Errorf("timed calls (-counted +timed):\n%s", diff)
	}
}

func TestCallsCounterSharedByClients(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newEnv(t, withMetrics(reg))
	ctx := ctxT(t)
	e.srv.RegisterWebhookKey("k1", "chat1")
	// A second application in the same process registers on the same
	// registry: no panic, one counter.
	other := wecom.New(wecom.Options{BaseURL: e.srv.URL(), Real: e.clk, Metrics: reg})
	for _, c := range []*wecom.Client{e.client, other} {
		if err := c.WebhookText(ctx, "k1", "提醒", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := callCounts(t, reg)["webhook/send 0"]; got != 2 {
		t.Fatalf("webhook/send 0 = %v, want 2", got)
	}
}

func TestNoMetricsByDefault(t *testing.T) {
	e := newEnv(t) // Options.Metrics nil: nothing registered anywhere, no panic
	e.srv.RegisterWebhookKey("k1", "chat1")
	if err := e.client.WebhookText(ctxT(t), "k1", "提醒", nil, nil); err != nil {
		t.Fatal(err)
	}
}
