// Package handlerstest drives a conversation handler the way WeCom does,
// for the tests of the conversation core and of each feature package: the
// production example configuration, a real embedded store on a temp file,
// fake clocks, and a transcript of everything said.
//
// It does not import handlers: the test hands it a Build that makes the
// router with the commands it needs (the core's own, or the core's and one
// feature's), so the core's internal tests and the features' tests share
// one harness without an import cycle.
package handlerstest

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

// Build makes the handler under test for the configuration and the
// campaign clock; the harness calls it again on Restart.
type Build func(cfg *config.Config, campaign clock.Clock) bot.Handler

// Harness is one test's world: configuration, store, clocks and handler.
type Harness struct {
	T       testing.TB
	Cfg     *config.Config
	Clock   *clock.Fake // the campaign clock
	Real    *clock.Fake // the store's real clock
	Path    string      // the store's file
	Store   *embedded.Store
	Handler bot.Handler
	Log     *strings.Builder  // transcript
	Names   map[string]string // display names by user id, for the transcript
	build   Build
	seq     int
}

// New opens a harness at campaign time now ("2006-01-02 15:04") with the
// example configuration's roster seeded, and builds the handler.
func New(t testing.TB, now string, build Build) *Harness {
	t.Helper()
	h := &Harness{
		T:     t,
		Cfg:   configtest.Example(t),
		Clock: clock.NewFake(configtest.At(t, now)),
		Real:  clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
		Path:  filepath.Join(t.TempDir(), "x.db"),
		Log:   &strings.Builder{},
		Names: map[string]string{},
		build: build,
	}
	h.Open()
	t.Cleanup(func() { h.Store.Close() })
	if err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, h.Cfg.Units, "config")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h.Handler = build(h.Cfg, h.Clock)
	return h
}

// Open opens the store file.
func (h *Harness) Open() {
	st, err := embedded.Open(h.Path, embedded.Options{Real: h.Real})
	if err != nil {
		h.T.Fatal(err)
	}
	h.Store = st
}

// Restart closes and reopens the store and builds a new handler, as a
// process restart would.
func (h *Harness) Restart() {
	h.T.Helper()
	if err := h.Store.Close(); err != nil {
		h.T.Fatal(err)
	}
	h.Open()
	h.Handler = h.build(h.Cfg, h.Clock)
}

// Handle delivers m in its own unit of work and returns the reply; an
// error fails the test.
func (h *Harness) Handle(m *bot.Message) bot.Reply {
	h.T.Helper()
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
	err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		var err error
		rep, err = h.Handler.Handle(context.Background(), tx, m)
		return err
	})
	if err != nil {
		h.T.Fatalf("handle %q: %v", m.Text, err)
	}
	h.transcribe(m, rep)
	return rep
}

func (h *Harness) transcribe(m *bot.Message, rep bot.Reply) {
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
	fmt.Fprintf(h.Log, "%s：%s\n", who, said)
	fmt.Fprintf(h.Log, "助手：%s\n", strings.ReplaceAll(RenderReply(rep, h.Names), "\n", "\n      "))
	h.Log.WriteString("\n")
}

// RenderReply shows a reply as a user sees it (mentions by name, buttons
// in brackets).
func RenderReply(r bot.Reply, names map[string]string) string {
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

// Group is user saying text in group chat.
func (h *Harness) Group(chat, user, text string) bot.Reply {
	h.T.Helper()
	return h.Handle(&bot.Message{ChatID: chat, ChatType: bot.ChatGroup, SenderID: user, SenderName: h.Names[user], Text: text})
}

// Single is user saying text in their one-to-one chat with the bot.
func (h *Harness) Single(user, text string) bot.Reply {
	h.T.Helper()
	return h.Handle(&bot.Message{ChatID: "single_" + user, ChatType: bot.ChatSingle, SenderID: user, SenderName: h.Names[user], Text: text})
}

// Image sends downloaded pictures (files), with text if any, in a
// one-to-one chat.
func (h *Harness) Image(user string, text string, files ...string) bot.Reply {
	h.T.Helper()
	m := &bot.Message{ChatID: "single_" + user, ChatType: bot.ChatSingle, SenderID: user, SenderName: h.Names[user], Text: text, Kind: bot.KindImage}
	if text != "" {
		m.Kind = bot.KindMixed
	}
	for _, f := range files {
		m.Images = append(m.Images, bot.Image{URL: "https://example.invalid/img", Path: f})
	}
	return h.Handle(m)
}

// Photo writes a fake downloaded image and returns its path.
func (h *Harness) Photo(name, content string) string {
	h.T.Helper()
	p := filepath.Join(h.T.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		h.T.Fatal(err)
	}
	return p
}

// Record reads record id from the store.
func (h *Harness) Record(id string) *store.Record {
	h.T.Helper()
	var r *store.Record
	if err := h.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		r, err = store.GetRecord(tx, id)
		return err
	}); err != nil {
		h.T.Fatalf("record %s: %v", id, err)
	}
	return r
}

// PutDialogFile stores the file (a dialog as stored, such as one an
// earlier release wrote) as the dialog slot user of chat.
func (h *Harness) PutDialogFile(chat, user, file string, expires time.Time) {
	h.T.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		h.T.Fatal(err)
	}
	if err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		return store.PutDialog(tx, &store.Dialog{ChatID: chat, UserID: user, ExpiresAt: expires, Data: data})
	}); err != nil {
		h.T.Fatal(err)
	}
}

// DialogData is the dialog slot user of chat as stored.
func (h *Harness) DialogData(chat, user string) []byte {
	h.T.Helper()
	var d *store.Dialog
	if err := h.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		d, err = store.GetDialog(tx, chat, user)
		return err
	}); err != nil {
		h.T.Fatal(err)
	}
	return d.Data
}

// Audit reads the whole audit log.
func (h *Harness) Audit() []store.AuditEntry {
	h.T.Helper()
	var out []store.AuditEntry
	if err := h.Store.View(context.Background(), func(tx store.Tx) error {
		return store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			out = append(out, e)
			return nil
		})
	}); err != nil {
		h.T.Fatal(err)
	}
	return out
}

// Must fails unless the reply contains every want.
func Must(t testing.TB, rep bot.Reply, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(rep.Text, w) {
			t.Fatalf("reply lacks %q:\n%s", w, rep.Text)
		}
	}
}

// MustNot fails if the reply contains any of bad.
func MustNot(t testing.TB, rep bot.Reply, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(rep.Text, w) {
			t.Fatalf("reply has %q:\n%s", w, rep.Text)
		}
	}
}
