package bot_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"firebot/bot"
	"firebot/store"
	"firebot/store/embedded"
)

// TestRouteRunsEachMessageInItsStreet: with Route set, a message's unit of
// work, its handler's writes and its dedupe memory live in the store Route
// names, and a retry is answered from that store's memory.
func TestRouteRunsEachMessageInItsStreet(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	other, err := embedded.Open(filepath.Join(t.TempDir(), "other.db"), embedded.Options{Real: f.real})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	streets := map[string]store.Store{"jfb": f.st, "qxs": other}
	var streetSeen []string
	errNoStreet := errors.New("no street")
	f.rebuild(func(o *bot.EndpointOptions) {
		inner := o.Handler
		o.Handler = bot.HandlerFunc(func(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
			streetSeen = append(streetSeen, m.Street)
			return inner.Handle(ctx, tx, m)
		})
		o.Route = func(_ context.Context, m *bot.Message) (bot.Memory, error) {
			street := "jfb"
			switch {
			case strings.Contains(m.Text, "解放碑"):
			case strings.Contains(m.Text, "七星岗"):
				street = "qxs"
			default:
				return nil, errNoStreet
			}
			m.Street = street
			return store.Callbacks{Store: streets[street]}, nil
		}
	})

	req := f.seal(robotText("R1", "七星岗 进度"), "r1")
	for i := range 2 { // the second is WeCom's retry
		status, body := f.post(req)
		if status != http.StatusOK || !strings.Contains(f.open(body), "收到：七星岗 进度") {
			t.Fatalf("attempt %d: status %d reply %q", i, status, f.open(body))
		}
	}
	if status, body := f.post(f.seal(robotText("R2", "解放碑 进度"), "r2")); status != http.StatusOK || f.open(body) == "" {
		t.Fatalf("R2: status %d", status)
	}
	if got := strings.Join(streetSeen, ","); got != "qxs,jfb" {
		t.Fatalf("handler saw streets %q, want qxs,jfb (the retry answered from memory)", got)
	}
	in := func(st store.Store, key string) bool {
		found := false
		if err := st.View(context.Background(), func(tx store.Tx) error {
			_, err := tx.Get("effects", key)
			found = err == nil
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return found
	}
	if !in(other, "R1") || in(f.st, "R1") || !in(f.st, "R2") || in(other, "R2") {
		t.Fatalf("writes landed in the wrong street: R1 other=%v main=%v, R2 main=%v other=%v",
			in(other, "R1"), in(f.st, "R1"), in(f.st, "R2"), in(other, "R2"))
	}

	// A message Route cannot place is answered busy and records nothing.
	status, body := f.post(f.seal(robotText("R3", "进度"), "r3"))
	if status != http.StatusOK || !strings.Contains(f.open(body), "繁忙") || in(f.st, "R3") || in(other, "R3") {
		t.Fatalf("unroutable: status %d reply %q", status, f.open(body))
	}
}
