package handlers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/store"
	"firebot/store/embedded"
)

// Tests load the production example configuration, so fixtures match what
// firebot runs with.

func loadConfig(t testing.TB) *config.Config { return configtest.Example(t) }

func at(t testing.TB, s string) time.Time { return configtest.At(t, s) }

type harness struct {
	t     testing.TB
	cfg   *config.Config
	clk   *clock.Fake // the campaign clock
	real  *clock.Fake // the store's real clock
	path  string
	st    *embedded.Store
	r     *Router
	seq   int
	log   *strings.Builder // transcript
	names map[string]string
}

func newHarness(t testing.TB, now string) *harness {
	t.Helper()
	h := &harness{
		t:     t,
		cfg:   loadConfig(t),
		clk:   clock.NewFake(at(t, now)),
		real:  clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
		path:  filepath.Join(t.TempDir(), "x.db"),
		log:   &strings.Builder{},
		names: map[string]string{},
	}
	h.open()
	t.Cleanup(func() { h.st.Close() })
	if err := h.st.Update(context.Background(), func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, h.cfg.Units, "config")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h.r = New(Deps{Config: h.cfg, Campaign: h.clk})
	return h
}

func (h *harness) open() {
	st, err := embedded.Open(h.path, embedded.Options{Real: h.real})
	if err != nil {
		h.t.Fatal(err)
	}
	h.st = st
}

// restart closes and reopens the store and builds a new router, as a
// process restart would.
func (h *harness) restart() {
	h.t.Helper()
	if err := h.st.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
	h.r = New(Deps{Config: h.cfg, Campaign: h.clk})
}

func (h *harness) handle(m *bot.Message) bot.Reply {
	h.t.Helper()
	h.seq++
	if m.MsgID == "" {
		m.MsgID = fmt.Sprintf("m%d", h.seq)
	}
	if m.Kind == "" {
		m.Kind = bot.KindText
	}
	if m.Channel == "" {
		m.Channel = bot.ChannelRobot
	}
	var rep bot.Reply
	err := h.st.Update(context.Background(), func(tx store.Tx) error {
		var err error
		rep, err = h.r.Handle(context.Background(), tx, m)
		return err
	})
	if err != nil {
		h.t.Fatalf("handle %q: %v", m.Text, err)
	}
	h.record(m, rep)
	return rep
}

func (h *harness) record(m *bot.Message, rep bot.Reply) {
	who := m.SenderName
	if who == "" {
		who = m.SenderID
	}
	said := m.Text
	if len(m.Images) > 0 {
		said = strings.TrimSpace(said + fmt.Sprintf(" [图片×%d]", len(m.Images)))
	}
	if m.ChatType == bot.ChatGroup {
		said = "@消防宣传月助手 " + said
	}
	fmt.Fprintf(h.log, "%s：%s\n", who, said)
	fmt.Fprintf(h.log, "助手：%s\n", strings.ReplaceAll(renderReply(rep, h.names), "\n", "\n      "))
	h.log.WriteString("\n")
}

// renderReply shows a reply as a user sees it (buttons in brackets).
func renderReply(r bot.Reply, names map[string]string) string {
	s := r.Text
	for _, m := range r.Mentions {
		if n := names[m]; n != "" {
			m = n
		}
		s = "@" + m + " " + s
	}
	if len(r.Buttons) > 0 {
		var bs []string
		for _, b := range r.Buttons {
			bs = append(bs, "["+b.Text+"]")
		}
		s += "\n" + strings.Join(bs, " ")
	}
	return s
}

func (h *harness) group(chat, user, text string) bot.Reply {
	h.t.Helper()
	return h.handle(&bot.Message{ChatID: chat, ChatType: bot.ChatGroup, SenderID: user, SenderName: h.names[user], Text: text})
}

func (h *harness) single(user, text string) bot.Reply {
	h.t.Helper()
	return h.handle(&bot.Message{ChatID: "single_" + user, ChatType: bot.ChatSingle, SenderID: user, SenderName: h.names[user], Text: text})
}

// image sends a downloaded picture in a one-to-one chat.
func (h *harness) image(user string, text string, files ...string) bot.Reply {
	h.t.Helper()
	m := &bot.Message{ChatID: "single_" + user, ChatType: bot.ChatSingle, SenderID: user, SenderName: h.names[user], Text: text, Kind: bot.KindImage}
	if text != "" {
		m.Kind = bot.KindMixed
	}
	for _, f := range files {
		m.Images = append(m.Images, bot.Image{URL: "https://example.invalid/img", Path: f})
	}
	return h.handle(m)
}

// photo writes a fake downloaded image and returns its path.
func (h *harness) photo(name, content string) string {
	h.t.Helper()
	p := filepath.Join(h.t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) record1(id string) *store.Record {
	h.t.Helper()
	var r *store.Record
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		r, err = store.GetRecord(tx, id)
		return err
	}); err != nil {
		h.t.Fatalf("record %s: %v", id, err)
	}
	return r
}

func (h *harness) audit() []store.AuditEntry {
	h.t.Helper()
	var out []store.AuditEntry
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			out = append(out, e)
			return nil
		})
	}); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// must fails unless the reply contains every want.
func must(t testing.TB, rep bot.Reply, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(rep.Text, w) {
			t.Fatalf("reply lacks %q:\n%s", w, rep.Text)
		}
	}
}

// mustNot fails if the reply contains any of bad.
func mustNot(t testing.TB, rep bot.Reply, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(rep.Text, w) {
			t.Fatalf("reply has %q:\n%s", w, rep.Text)
		}
	}
}
