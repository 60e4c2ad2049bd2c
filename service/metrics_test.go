package service_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// Every labelled series exists from start-up, before its first event, and
// the build is named.
func TestMetricsPreset(t *testing.T) {
	svc, _, _ := adminService(t, nil)
	resp, err := http.Get("http://" + svc.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(b)
	for _, want := range []string{
		`firebot_build_info{goversion="go`,
		`firebot_wecom_call_duration_seconds_count{api="gettoken"} 0`,
		`firebot_wecom_call_duration_seconds_count{api="webhook/send"} 0`,
		`firebot_wecom_calls_total{api="message/send",errcode="0"} 0`,
		`firebot_callbacks_total{kind="aibot",outcome="ok"} 0`,
		`firebot_callback_duration_seconds_count{kind="app"} 0`,
		`firebot_outbox_deliveries_total{status="sent"} 0`,
		`firebot_outbox_deliveries_total{status="retry"} 0`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
