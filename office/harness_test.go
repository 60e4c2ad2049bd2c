package office_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/office"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
)

// Unit-level tests drive the real router (handlers plus the office
// commands) on an embedded store with the production example
// configuration, as a message would: one unit of work per message.

func loadConfig(t testing.TB) *config.Config { return configtest.Example(t) }

func at(t testing.TB, s string) time.Time { return configtest.At(t, s) }

const (
	officeUser = "zhujun"
	officeChat = "chat_office"
	unitChat   = "chat_comm_xuetianwan" // 学田湾社区: officers zhangsan, lisi
)

type harness struct {
	t    testing.TB
	cfg  *config.Config
	clk  *clock.Fake
	st   *embedded.Store
	r    *handlers.Router
	deps office.Deps
	seq  int
}

func newHarness(t testing.TB, now string, deps office.Deps) *harness {
	t.Helper()
	h := &harness{t: t, cfg: loadConfig(t), clk: clock.NewFake(at(t, now))}
	st, err := embedded.Open(filepath.Join(t.TempDir(), "x.db"), embedded.Options{Real: clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	h.st = st
	t.Cleanup(func() { st.Close() })
	h.update(func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, h.cfg.Units, "config")
		return err
	})
	deps.Config, deps.Store, deps.Campaign = h.cfg, st, h.clk
	h.deps = deps
	h.r = handlers.New(handlers.Deps{Config: h.cfg, Campaign: h.clk})
	for _, c := range slices.Concat(handlers.InfoCommands(), handlers.RecordCommands(), handlers.DraftCommands()) {
		h.r.Register(c) // the core's commands, registered before the office's as in service/commands.go
	}
	office.Register(h.r, deps)
	return h
}

func (h *harness) update(fn func(tx store.Tx) error) {
	h.t.Helper()
	if err := h.st.Update(context.Background(), fn); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) view(fn func(tx store.Tx) error) {
	h.t.Helper()
	if err := h.st.View(context.Background(), fn); err != nil {
		h.t.Fatal(err)
	}
}

// send handles m in its own unit of work; the same message (same dedupe
// key) may be sent again to play a retried callback.
func (h *harness) send(m *bot.Message) string {
	h.t.Helper()
	if m.MsgID == "" {
		h.seq++
		m.MsgID = fmt.Sprintf("m%d", h.seq)
	}
	if m.DedupeKey == "" {
		m.DedupeKey = "robot:" + m.MsgID
	}
	m.Kind, m.Channel = bot.KindText, bot.ChannelRobot
	var rep bot.Reply
	h.update(func(tx store.Tx) error {
		var err error
		rep, err = h.r.Handle(context.Background(), tx, m)
		return err
	})
	return rep.Text
}

func (h *harness) group(chat, user, text string) string {
	h.t.Helper()
	return h.send(&bot.Message{ChatID: chat, ChatType: bot.ChatGroup, SenderID: user, SenderName: user, Text: text})
}

func (h *harness) single(user, text string) string {
	h.t.Helper()
	return h.send(&bot.Message{ChatID: "single_" + user, ChatType: bot.ChatSingle, SenderID: user, SenderName: user, Text: text})
}

func (h *harness) tick() {
	h.t.Helper()
	if err := office.Tick(context.Background(), h.deps); err != nil {
		h.t.Fatal(err)
	}
}

// outboxEntries lists every outbox entry in id order.
func (h *harness) outboxEntries() []*store.OutboxEntry {
	h.t.Helper()
	var out []*store.OutboxEntry
	h.view(func(tx store.Tx) error {
		return tx.Scan("ob", "", "", func(_ string, v []byte) error {
			var e store.OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, &e)
			return nil
		})
	})
	return out
}

// pushes are the outbox entries decoded: target → texts.
type push struct {
	key, target, channel, text string
	mentions                   []string
	msg                        outbox.Message
}

func (h *harness) pushes() []push {
	h.t.Helper()
	var out []push
	for _, e := range h.outboxEntries() {
		m, err := outbox.Decode(e)
		if err != nil {
			h.t.Fatal(err)
		}
		p := push{key: e.Key, target: e.Target, channel: e.Channel, msg: m}
		switch {
		case m.Webhook != nil && m.Webhook.Text != nil:
			p.text, p.mentions = m.Webhook.Text.Content, m.Webhook.Text.MentionedList
		case m.Webhook != nil && m.Webhook.Markdown != nil:
			p.text = m.Webhook.Markdown.Content
		case m.App != nil && m.App.Text != nil:
			p.text = m.App.Text.Content
		}
		out = append(out, p)
	}
	return out
}

func (h *harness) pushesTo(target string) []push {
	var out []push
	for _, p := range h.pushes() {
		if p.target == target {
			out = append(out, p)
		}
	}
	return out
}

func (h *harness) audit() []store.AuditEntry {
	h.t.Helper()
	var out []store.AuditEntry
	h.view(func(tx store.Tx) error {
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			out = append(out, e)
			return nil
		})
	})
	return out
}

func (h *harness) progress(unitID string) ledger.UnitProgress {
	h.t.Helper()
	var p ledger.UnitProgress
	h.view(func(tx store.Tx) error {
		u, err := store.GetUnit(tx, unitID)
		if err != nil {
			return err
		}
		p, err = ledger.Of(tx, &h.cfg.Campaign, u)
		return err
	})
	return p
}

func taskStatus(p ledger.UnitProgress, taskID string) ledger.TaskStatus {
	for _, ts := range p.Tasks {
		if ts.Task.ID == taskID {
			return ts
		}
	}
	return ledger.TaskStatus{}
}

// putConfirmation stores an active confirmation as the dialog would.
func (h *harness) putConfirmation(unitID, taskID, reporter string) string {
	h.t.Helper()
	r := &store.Record{Kind: store.KindConfirmation, CampaignID: h.cfg.Campaign.ID, UnitID: unitID, TaskID: taskID,
		ReporterID: reporter, CreatedAt: h.clk.Now(), UpdatedAt: h.clk.Now()}
	if err := ledger.Encode(r, ledger.Confirmation{Date: h.clk.Now().Format("2006-01-02"), ReporterName: reporter,
		Fields: map[string]string{"participants": "80"}}); err != nil {
		h.t.Fatal(err)
	}
	h.update(func(tx store.Tx) error { return store.PutRecord(tx, r) })
	return r.ID
}

func contains(t testing.TB, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("lacks %q:\n%s", w, got)
		}
	}
}

func lacks(t testing.TB, got string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(got, w) {
			t.Fatalf("has %q:\n%s", w, got)
		}
	}
}
