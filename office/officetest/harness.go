package officetest

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
	"firebot/handlers/nominate"
	"firebot/handlers/records"
	"firebot/handlers/report"
	"firebot/ledger"
	"firebot/office"
	"firebot/outbox"
	"firebot/store"
	"firebot/store/embedded"
)

// LoadConfig is the production example configuration.
func LoadConfig(t testing.TB) *config.Config { return configtest.Example(t) }

// At reads a campaign time, "2023-11-20 09:00".
func At(t testing.TB, s string) time.Time { return configtest.At(t, s) }

// People and chats of the example configuration the tests use.
const (
	OfficeUser = "zhujun"
	OfficeChat = "chat_office"
	UnitChat   = "chat_comm_xuetianwan" // 学田湾社区: officers zhangsan, lisi
)

// Feature is the part of the office a test puts on its router, as a
// feature package (or service's list) gives it: questions, commands and
// background work beside office.Tick. Any of them may be nil.
type Feature struct {
	Questions func(*office.Tools) []handlers.Question
	Commands  func(*office.Tools) []handlers.Command
	Tick      func(context.Context, office.Options) error
}

// Harness is a router (handlers plus the features given) on an embedded
// store seeded with the example roster, with a fake campaign clock. Each
// message is handled in its own unit of work, as the service does.
type Harness struct {
	T       testing.TB
	Cfg     *config.Config
	Clk     *clock.Fake
	St      *embedded.Store
	R       *handlers.Router
	Options office.Options // as given, with Config, Store and Campaign set

	seq   int
	ticks []func(context.Context, office.Options) error
}

// New builds a harness at campaign time now. deps may name a Chaser,
// Exporter or Charter; its Config, Store and Campaign are the harness's.
func New(t testing.TB, now string, deps office.Options, features ...Feature) *Harness {
	t.Helper()
	h := &Harness{T: t, Cfg: LoadConfig(t), Clk: clock.NewFake(At(t, now))}
	st, err := embedded.Open(filepath.Join(t.TempDir(), "x.db"), embedded.Options{Real: clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	h.St = st
	t.Cleanup(func() { st.Close() })
	h.Update(func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, h.Cfg.Units, "config")
		return err
	})
	deps.Config, deps.Store, deps.Campaign = h.Cfg, st, h.Clk
	h.Options = deps
	h.R = handlers.New(handlers.Options{Config: h.Cfg, Campaign: h.Clk})
	// handlers.New registers no command: the core's own (帮助, 进度,
	// 上报…) and the conversation features' come first, as service lists
	// them.
	for _, f := range slices.Concat(report.Flows(), nominate.Flows(), records.Flows()) {
		h.R.RegisterFlow(f)
	}
	for _, hk := range []handlers.Hooks{report.Hooks(), nominate.Hooks(), records.Hooks()} {
		h.R.RegisterHooks(hk)
	}
	for _, group := range [][]handlers.Command{handlers.InfoCommands(), report.Commands(), nominate.Commands(), records.Commands(),
		nominate.Resume(), report.Resume(), handlers.DraftCommands()} {
		for _, c := range group {
			h.R.Register(c)
		}
	}
	tools := office.NewTools(deps)
	for _, f := range features {
		if f.Questions != nil {
			for _, q := range f.Questions(tools) {
				h.R.RegisterQuestion(q)
			}
		}
		if f.Commands != nil {
			for _, c := range f.Commands(tools) {
				h.R.Register(c)
			}
		}
		if f.Tick != nil {
			h.ticks = append(h.ticks, f.Tick)
		}
	}
	return h
}

// Update runs fn in a unit of work; an error fails the test.
func (h *Harness) Update(fn func(tx store.Tx) error) {
	h.T.Helper()
	if err := h.St.Update(context.Background(), fn); err != nil {
		h.T.Fatal(err)
	}
}

// View runs fn in a read-only transaction; an error fails the test.
func (h *Harness) View(fn func(tx store.Tx) error) {
	h.T.Helper()
	if err := h.St.View(context.Background(), fn); err != nil {
		h.T.Fatal(err)
	}
}

// Send handles m in its own unit of work; the same message (same dedupe
// key) may be sent again to play a retried callback.
func (h *Harness) Send(m *bot.Message) string {
	h.T.Helper()
	if m.MsgID == "" {
		h.seq++
		m.MsgID = fmt.Sprintf("m%d", h.seq)
	}
	if m.DedupeKey == "" {
		m.DedupeKey = "robot:" + m.MsgID
	}
	m.Kind, m.Channel = bot.KindText, bot.ChannelRobot
	var rep bot.Reply
	h.Update(func(tx store.Tx) error {
		var err error
		rep, err = h.R.Handle(context.Background(), tx, m)
		return err
	})
	return rep.Text
}

// Group sends text from user in a group chat and returns the reply.
func (h *Harness) Group(chat, user, text string) string {
	h.T.Helper()
	return h.Send(&bot.Message{ChatID: chat, ChatType: bot.ChatGroup, SenderID: user, SenderName: user, Text: text})
}

// Single sends text from user one-to-one and returns the reply.
func (h *Harness) Single(user, text string) string {
	h.T.Helper()
	return h.Send(&bot.Message{ChatID: "single_" + user, ChatType: bot.ChatSingle, SenderID: user, SenderName: user, Text: text})
}

// Tick runs office.Tick and the features' own background work once.
func (h *Harness) Tick() {
	h.T.Helper()
	for _, tick := range append([]func(context.Context, office.Options) error{office.Tick}, h.ticks...) {
		if err := tick(context.Background(), h.Options); err != nil {
			h.T.Fatal(err)
		}
	}
}

// OutboxEntries lists every outbox entry in id order.
func (h *Harness) OutboxEntries() []*store.OutboxEntry {
	h.T.Helper()
	var out []*store.OutboxEntry
	h.View(func(tx store.Tx) error {
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

// Pushes are the outbox entries decoded: target → texts.
type Push struct {
	Key, Target, Channel, Text string
	Mentions                   []string
	Msg                        outbox.Message
}

// Pushes are the outbox entries, decoded, in id order.
func (h *Harness) Pushes() []Push {
	h.T.Helper()
	var out []Push
	for _, e := range h.OutboxEntries() {
		m, err := outbox.Decode(e)
		if err != nil {
			h.T.Fatal(err)
		}
		p := Push{Key: e.Key, Target: e.Target, Channel: e.Channel, Msg: m}
		switch {
		case m.Webhook != nil && m.Webhook.Text != nil:
			p.Text, p.Mentions = m.Webhook.Text.Content, m.Webhook.Text.MentionedList
		case m.Webhook != nil && m.Webhook.Markdown != nil:
			p.Text = m.Webhook.Markdown.Content
		case m.App != nil && m.App.Text != nil:
			p.Text = m.App.Text.Content
		}
		out = append(out, p)
	}
	return out
}

// PushesTo are the pushes to one target.
func (h *Harness) PushesTo(target string) []Push {
	var out []Push
	for _, p := range h.Pushes() {
		if p.Target == target {
			out = append(out, p)
		}
	}
	return out
}

// Audit is the audit log, oldest first.
func (h *Harness) Audit() []store.AuditEntry {
	h.T.Helper()
	var out []store.AuditEntry
	h.View(func(tx store.Tx) error {
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			out = append(out, e)
			return nil
		})
	})
	return out
}

// Progress is a unit's progress as the ledger computes it.
func (h *Harness) Progress(unitID string) ledger.UnitProgress {
	h.T.Helper()
	var p ledger.UnitProgress
	h.View(func(tx store.Tx) error {
		u, err := store.GetUnit(tx, unitID)
		if err != nil {
			return err
		}
		p, err = ledger.Of(tx, &h.Cfg.Campaign, u)
		return err
	})
	return p
}

// TaskStatus is one task's status in p (zero when p lacks it).
func TaskStatus(p ledger.UnitProgress, taskID string) ledger.TaskStatus {
	for _, ts := range p.Tasks {
		if ts.Task.ID == taskID {
			return ts
		}
	}
	return ledger.TaskStatus{}
}

// PutConfirmation stores an active confirmation as the dialog would.
func (h *Harness) PutConfirmation(unitID, taskID, reporter string) string {
	h.T.Helper()
	r := &store.Record{Kind: store.KindConfirmation, CampaignID: h.Cfg.Campaign.ID, UnitID: unitID, TaskID: taskID,
		ReporterID: reporter, CreatedAt: h.Clk.Now(), UpdatedAt: h.Clk.Now()}
	if err := ledger.Encode(r, ledger.Confirmation{Date: h.Clk.Now().Format("2006-01-02"), ReporterName: reporter,
		Fields: map[string]string{"participants": "80"}}); err != nil {
		h.T.Fatal(err)
	}
	h.Update(func(tx store.Tx) error { return store.PutRecord(tx, r) })
	return r.ID
}

// Contains fails the test unless got contains every one of wants.
func Contains(t testing.TB, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("lacks %q:\n%s", w, got)
		}
	}
}

// Lacks fails the test if got contains any of bad.
func Lacks(t testing.TB, got string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(got, w) {
			t.Fatalf("has %q:\n%s", w, got)
		}
	}
}
