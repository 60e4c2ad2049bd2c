// Package sim runs a whole firebot in one process against a fake WeCom:
// the real service on loopback HTTP with real encryption, the callback
// driver playing WeCom's callbacks for the three channels, and the fake
// WeCom API receiving every push. End-to-end tests, the benchmarks and the
// `firebot chat` simulator are built on it.
//
// Both clocks are injected: tests pass fakes and step them, the terminal
// simulator passes the real clock and a steppable campaign clock.
package sim

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/service"
	"firebot/store"
	"firebot/wecom/fakewecom"
)

// Options configure a simulation.
type Options struct {
	// Config is the configuration to run (e.g. config.example.yaml, loaded).
	// The simulation points its API base at the fake WeCom, listens on
	// loopback ports and gives every chat its own webhook key.
	Config *config.Config
	// Dir holds the embedded store and the media (a temp dir in tests).
	Dir string
	// Store replaces the embedded store in Dir (e.g. a Redis store).
	Store store.Store
	// Real and Campaign are the two clocks. Nil Real means clock.Real{};
	// nil Campaign means a Fake at Real's time.
	Real     clock.Clock
	Campaign clock.Clock
	// Handler replaces the conversation handlers (protocol-level tests).
	Handler bot.Handler
	Logger  *slog.Logger
	// FakeLatency is added to every fake WeCom call.
	FakeLatency time.Duration
	// HTTPClient is the service's client for WeCom calls (e.g. a short
	// timeout for fault tests); nil uses the service's default.
	HTTPClient *http.Client
	// Fake is an existing fake WeCom to use instead of a new one: replicas
	// of one deployment share it (and Store). Close leaves it running; its
	// creator closes it.
	Fake *fakewecom.Server
	// OutboxPool replaces the outbox worker's pool size (service.Options).
	OutboxPool int
}

// Sim is a running simulation.
type Sim struct {
	Config  *config.Config
	Service *service.Service
	Fake    *fakewecom.Server
	Robot   *driver.Driver
	Aibot   *driver.Driver
	App     *driver.Driver
	Real    clock.Clock

	mu      sync.Mutex
	seen    int // fake messages already returned by NewPushes
	names   map[string]string
	ownFake bool // the fake was made by New, and Close closes it
}

// New starts a simulation. Close it when done.
func New(ctx context.Context, opts Options) (*Sim, error) {
	if opts.Config == nil {
		return nil, errors.New("sim: no configuration")
	}
	real := clock.OrReal(opts.Real)
	camp := opts.Campaign
	if camp == nil {
		camp = clock.NewFake(real.Now())
	}
	cfg := *opts.Config
	fake, ownFake := opts.Fake, opts.Fake == nil
	if ownFake {
		fake = fakewecom.New(fakewecom.Options{
			CorpID:  cfg.WeCom.CorpID,
			Secret:  cfg.WeCom.Secret.Reveal(),
			AgentID: cfg.WeCom.AgentID,
			Real:    real,
		})
	}
	closeFake := func() {
		if ownFake {
			fake.Close()
		}
	}
	if opts.FakeLatency > 0 {
		fake.SetLatency(opts.FakeLatency)
	}
	cfg.WeCom.APIBaseURL = fake.URL()
	cfg.Server.Listen, cfg.Server.AdminListen = "127.0.0.1:0", "127.0.0.1:0"
	if opts.Dir != "" {
		cfg.Store.Path = filepath.Join(opts.Dir, "firebot.db")
		cfg.Media.Dir = filepath.Join(opts.Dir, "media")
	}
	cfg.Units = giveKeys(fake, cfg.Units)
	cfg.Access.OfficeChats = giveChatKeys(fake, cfg.Access.OfficeChats)
	s := &Sim{Config: &cfg, Fake: fake, Real: real, names: map[string]string{}, ownFake: ownFake}
	for _, u := range cfg.Access.OfficeUsers {
		fake.AddUser(u)
	}
	for _, u := range cfg.Units {
		fake.AddUser(u.Officers...)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		closeFake()
		return nil, err
	}
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ln.Close()
		closeFake()
		return nil, err
	}
	svc, err := service.New(ctx, &cfg, service.Options{
		Real: real, Campaign: camp, Store: opts.Store, Handler: opts.Handler, Logger: opts.Logger,
		Listener: ln, AdminListener: admin, ManualOutbox: true, ManualScheduler: true, HTTPClient: opts.HTTPClient,
		OutboxPool: opts.OutboxPool,
	})
	if err != nil {
		ln.Close()
		admin.Close()
		closeFake()
		return nil, err
	}
	if err := svc.Start(ctx); err != nil {
		closeFake()
		return nil, err
	}
	s.Service = svc
	base := "http://" + svc.Addr()
	mk := func(ch bot.Channel, path, token, key, receiveID string) *driver.Driver {
		if err != nil {
			return nil
		}
		var d *driver.Driver
		d, err = driver.New(base, driver.Options{Channel: ch, Path: path, Token: token, EncodingAESKey: key,
			ReceiveID: receiveID, Clock: real, APIBase: fake.URL(), CorpID: cfg.WeCom.CorpID})
		return d
	}
	s.Robot = mk(bot.ChannelRobot, "/wecom/robot", cfg.WeCom.Robot.Token.Reveal(), cfg.WeCom.Robot.EncodingAESKey.Reveal(), "")
	s.Aibot = mk(bot.ChannelAibot, "/wecom/aibot", cfg.WeCom.AIBot.Token.Reveal(), cfg.WeCom.AIBot.EncodingAESKey.Reveal(), "")
	s.App = mk(bot.ChannelApp, "/wecom/app", cfg.WeCom.Token.Reveal(), cfg.WeCom.EncodingAESKey.Reveal(), cfg.WeCom.CorpID)
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ChatKey is the webhook key the simulation gives a chat.
func ChatKey(chatID string) string { return "key-" + chatID }

func giveChatKeys(fake *fakewecom.Server, chats []campaign.Chat) []campaign.Chat {
	out := make([]campaign.Chat, len(chats))
	for i, c := range chats {
		c.WebhookKey = campaign.Secret(ChatKey(c.ID))
		fake.RegisterWebhookKey(ChatKey(c.ID), c.ID)
		out[i] = c
	}
	return out
}

func giveKeys(fake *fakewecom.Server, units campaign.Roster) campaign.Roster {
	out := make(campaign.Roster, len(units))
	for i, u := range units {
		u.Chats = giveChatKeys(fake, u.Chats)
		out[i] = u
	}
	return out
}

// AddGroup makes a chat known to the fake WeCom (a group whose robot has a
// webhook key), as when a robot is added to a new group.
func (s *Sim) AddGroup(chatID string) { s.Fake.RegisterWebhookKey(ChatKey(chatID), chatID) }

// Close stops the service, and the fake unless it was given in Options.
func (s *Sim) Close() error {
	var err error
	if s.Service != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = s.Service.Shutdown(ctx)
	}
	if s.ownFake {
		s.Fake.Close()
	}
	return err
}

// Say sends text from user in a group chat through the group robot (as an
// @-mention) and returns the bot's passive reply as the user sees it.
func (s *Sim) Say(ctx context.Context, chatID, userID, text string) (string, error) {
	t, err := s.SayIn(ctx, chatID, userID, text, true)
	return ReplyWithButtons(t), err
}

// SayPrivately sends text in the user's 1:1 chat with the group robot.
func (s *Sim) SayPrivately(ctx context.Context, userID, text string) (string, error) {
	t, err := s.SayIn(ctx, PrivateChat(userID), userID, text, false)
	return ReplyWithButtons(t), err
}

// Click sends a click on a robot markdown button.
func (s *Sim) Click(ctx context.Context, chatID, chatType, userID, value string) (string, error) {
	t, err := s.ClickIn(ctx, chatID, userID, value, chatType == "group")
	return ReplyWithButtons(t), err
}

// PrivateChat is the chat id the simulation uses for a user's 1:1 chat
// with the robot.
func PrivateChat(userID string) string { return "single-" + userID }

// ReplyWithButtons renders a turn as text with its button labels.
func ReplyWithButtons(t Turn) string {
	if len(t.Buttons) == 0 {
		return t.Text
	}
	labels := make([]string, len(t.Buttons))
	for i, b := range t.Buttons {
		labels[i] = b.Text
	}
	return t.Text + "\n[按钮：" + strings.Join(labels, " | ") + "]"
}

func (s *Sim) name(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.names[userID]; ok {
		return n
	}
	return userID
}

// SetName gives a user a display name.
func (s *Sim) SetName(userID, name string) {
	s.mu.Lock()
	s.names[userID] = name
	s.mu.Unlock()
}

// ReplyText extracts what a user sees from a passive reply plaintext of any
// channel (robot XML/JSON, intelligent-robot stream/card, app XML), with
// button labels appended as "[按钮：…]".
func ReplyText(plaintext []byte) string {
	if len(plaintext) == 0 {
		return ""
	}
	var j struct {
		MsgType string `json:"msgtype"`
		Text    *struct {
			Content string `json:"content"`
		} `json:"text"`
		Markdown *struct {
			Content string `json:"content"`
		} `json:"markdown"`
		Stream *struct {
			Content string `json:"content"`
		} `json:"stream"`
		TemplateCard *struct {
			MainTitle *struct {
				Title string `json:"title"`
			} `json:"main_title"`
			SubTitleText string `json:"sub_title_text"`
		} `json:"template_card"`
	}
	if json.Unmarshal(plaintext, &j) == nil {
		switch {
		case j.Text != nil:
			return j.Text.Content
		case j.Markdown != nil:
			return j.Markdown.Content
		case j.Stream != nil:
			return j.Stream.Content
		case j.TemplateCard != nil && j.TemplateCard.MainTitle != nil:
			return strings.TrimSpace(j.TemplateCard.MainTitle.Title + "\n" + j.TemplateCard.SubTitleText)
		}
	}
	return xmlReplyText(plaintext)
}

// Flush delivers every outbox entry that is due now. The simulation runs
// no delivery loop of its own: pushes go out when Flush is called, in step
// with the clocks.
func (s *Sim) Flush(ctx context.Context) error {
	// Deliver, let the office tools react (delivery reports, exports,
	// charts), and deliver what they enqueued.
	if _, err := s.Service.Outbox.DeliverDue(ctx); err != nil {
		return err
	}
	if err := s.Service.OfficeTick(ctx); err != nil {
		return err
	}
	_, err := s.Service.Outbox.DeliverDue(ctx)
	return err
}

// NewPushes flushes the outbox and returns the pushes the fake WeCom
// received since the last call.
func (s *Sim) NewPushes(ctx context.Context) ([]fakewecom.Recorded, error) {
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	all := s.Fake.Messages()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := all[s.seen:]
	s.seen = len(all)
	return out, nil
}

// Advance moves the campaign clock to t (never backwards). Everything the
// scheduler has due on the way fires in order: a jump is not downtime.
func (s *Sim) Advance(ctx context.Context, t time.Time) error {
	fc, ok := s.Service.Campaign.(*clock.Fake)
	if !ok {
		return errors.New("sim: the campaign clock cannot be moved")
	}
	if t.Before(fc.Now()) {
		return errors.New("sim: the campaign clock only moves forward")
	}
	if err := s.Service.RunSchedulerUntil(ctx, t); err != nil {
		return err
	}
	fc.Set(t)
	return nil
}
