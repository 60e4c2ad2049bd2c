package driver

import (
	"context"
	"encoding/json"
	"fmt"

	"firebot/bot"
)

// The Send* helpers build a payload with fresh ids and the current real
// time and post it to Options.Path with Do's delivery rules.

func (d *Driver) want(ch bot.Channel) error {
	if d.opts.Channel != ch {
		return fmt.Errorf("%w: driver is %s, call is for %s", ErrWrongChannel, d.opts.Channel, ch)
	}
	return nil
}

// --- group robot -------------------------------------------------------

// RobotHeader returns the common fields of a robot callback from chatID,
// chatType, userID and name, with a fresh MsgId, the driver's WebhookUrl
// and a fresh single-use GetChatInfoUrl.
func (d *Driver) RobotHeader(chatID, chatType, userID, name string) (RobotMsg, error) {
	g := d.gen()
	h := RobotMsg{
		WebhookURL:  d.opts.APIBase + "/cgi-bin/webhook/send?key=" + d.opts.WebhookKey,
		MsgID:       g.hex(16),
		ChatID:      chatID,
		ChatType:    chatType,
		UserID:      userID,
		Name:        name,
		Alias:       userID,
		ChatInfoURL: d.opts.APIBase + "/cgi-bin/webhook/get_chat_info?code=" + g.hex(8),
	}
	return h, g.err
}

func (d *Driver) sendRobot(ctx context.Context, chatID, chatType, userID, name string, build func(RobotMsg) []byte) (*Result, error) {
	if err := d.want(bot.ChannelRobot); err != nil {
		return nil, err
	}
	h, err := d.RobotHeader(chatID, chatType, userID, name)
	if err != nil {
		return nil, err
	}
	return d.Send(ctx, d.opts.Path, build(h))
}

// SendRobotText sends a robot text callback. In group chats WeCom prefixes
// "@<robot name> "; pass the text as the user would see it.
func (d *Driver) SendRobotText(ctx context.Context, chatID, chatType, userID, name, text string) (*Result, error) {
	return d.sendRobot(ctx, chatID, chatType, userID, name, func(h RobotMsg) []byte { return RobotText(d.Format(), h, text) })
}

// SendRobotImage sends a robot image callback.
func (d *Driver) SendRobotImage(ctx context.Context, chatID, chatType, userID, name, imageURL string) (*Result, error) {
	return d.sendRobot(ctx, chatID, chatType, userID, name, func(h RobotMsg) []byte { return RobotImage(d.Format(), h, imageURL) })
}

// SendRobotMixed sends a robot mixed (text + images) callback.
func (d *Driver) SendRobotMixed(ctx context.Context, chatID, chatType, userID, name, text string, imageURLs ...string) (*Result, error) {
	return d.sendRobot(ctx, chatID, chatType, userID, name, func(h RobotMsg) []byte { return RobotMixed(d.Format(), h, text, imageURLs...) })
}

// SendRobotEvent sends a robot event (add_to_chat, delete_from_chat,
// enter_chat).
func (d *Driver) SendRobotEvent(ctx context.Context, chatID, chatType, userID, name, eventType string) (*Result, error) {
	return d.sendRobot(ctx, chatID, chatType, userID, name, func(h RobotMsg) []byte { return RobotEvent(d.Format(), h, eventType) })
}

// SendRobotClick sends a click on a markdown attachment button.
func (d *Driver) SendRobotClick(ctx context.Context, chatID, chatType, userID, name, callbackID, value string) (*Result, error) {
	return d.sendRobot(ctx, chatID, chatType, userID, name, func(h RobotMsg) []byte {
		return RobotClick(d.Format(), h, callbackID, "button", value)
	})
}

// --- intelligent robot ---------------------------------------------------

// AibotHeader returns the common fields of an intelligent-robot callback
// with a fresh msgid and response_url (chatID only for groups).
func (d *Driver) AibotHeader(chatID, chatType, userID string) (AibotMsg, error) {
	g := d.gen()
	h := AibotMsg{
		MsgID:       g.hex(16),
		AibotID:     d.opts.AibotID,
		ChatID:      chatID,
		ChatType:    chatType,
		UserID:      userID,
		ResponseURL: d.opts.APIBase + "/cgi-bin/aibot/response?response_code=" + g.hex(16),
	}
	return h, g.err
}

func (d *Driver) sendAibot(ctx context.Context, chatID, chatType, userID string, attempts int, event bool, build func(AibotMsg) []byte) (*Result, error) {
	if err := d.want(bot.ChannelAibot); err != nil {
		return nil, err
	}
	h, err := d.AibotHeader(chatID, chatType, userID)
	if err != nil {
		return nil, err
	}
	if event {
		h.CreateTime = d.opts.Clock.Now().Unix()
	}
	req, err := d.Seal(d.opts.Path, build(h))
	if err != nil {
		return nil, err
	}
	return d.do(ctx, req, attempts)
}

// SendAibotText sends an intelligent-robot text ("@RobotA …" in groups).
func (d *Driver) SendAibotText(ctx context.Context, chatID, chatType, userID, text string) (*Result, error) {
	return d.sendAibot(ctx, chatID, chatType, userID, d.opts.MaxAttempts, false, func(h AibotMsg) []byte { return AibotText(h, text) })
}

// SendAibotMixed sends a text followed by images.
func (d *Driver) SendAibotMixed(ctx context.Context, chatID, chatType, userID, text string, imageURLs ...string) (*Result, error) {
	return d.sendAibot(ctx, chatID, chatType, userID, d.opts.MaxAttempts, false, func(h AibotMsg) []byte { return AibotMixed(h, text, imageURLs...) })
}

// SendAibotImage sends a 1:1 image whose URL serves encrypted bytes.
func (d *Driver) SendAibotImage(ctx context.Context, userID, url string) (*Result, error) {
	return d.sendAibot(ctx, "", "single", userID, d.opts.MaxAttempts, false, func(h AibotMsg) []byte { return AibotImage(h, url) })
}

// SendAibotEvent sends an event (enter_chat, feedback_event).
func (d *Driver) SendAibotEvent(ctx context.Context, chatID, chatType, userID, eventType string) (*Result, error) {
	return d.sendAibot(ctx, chatID, chatType, userID, d.opts.MaxAttempts, true, func(h AibotMsg) []byte { return AibotEvent(h, eventType) })
}

// SendAibotCardEvent sends a template_card_event. WeCom sends card events
// once: there is no re-send.
func (d *Driver) SendAibotCardEvent(ctx context.Context, chatID, chatType, userID, cardType, taskID, eventKey string, selected map[string][]string) (*Result, error) {
	return d.sendAibot(ctx, chatID, chatType, userID, 1, true, func(h AibotMsg) []byte {
		return AibotCardEvent(h, cardType, taskID, eventKey, selected)
	})
}

// SendAibotStream sends a stream refresh for streamID.
func (d *Driver) SendAibotStream(ctx context.Context, chatID, chatType, userID, streamID string) (*Result, error) {
	return d.sendAibot(ctx, chatID, chatType, userID, d.opts.MaxAttempts, false, func(h AibotMsg) []byte { return AibotStream(h, streamID) })
}

// Stream is where FollowStream stopped.
type Stream struct {
	ID        string
	Content   string // the latest content (each reply replaces the previous)
	Finished  bool
	Refreshes int     // refresh callbacks posted
	Last      *Result // the result holding the latest reply
}

type streamReply struct {
	MsgType string `json:"msgtype"`
	Stream  *struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
}

// FollowStream continues a stream the bot started in answer to first: it
// posts stream refreshes for the reply's stream id, as WeCom does, until a
// reply says finish:true or max refreshes were posted
// (ErrStreamUnfinished). A first reply that is not a stream is an error.
func (d *Driver) FollowStream(ctx context.Context, first *Result, max int) (*Stream, error) {
	if err := d.want(bot.ChannelAibot); err != nil {
		return nil, err
	}
	s := &Stream{Last: first}
	if err := s.absorb(first); err != nil {
		return s, err
	}
	if s.ID == "" {
		return s, fmt.Errorf("%w: first reply has no stream id", ErrBadReply)
	}
	orig, err := bot.ParseAibot(first.Request.Plaintext, "")
	if err != nil {
		return s, fmt.Errorf("driver: follow stream: %w", err)
	}
	chatID := orig.ChatID
	if orig.ChatType != bot.ChatGroup {
		chatID = ""
	}
	for !s.Finished {
		if s.Refreshes >= max {
			return s, fmt.Errorf("%w after %d refreshes", ErrStreamUnfinished, s.Refreshes)
		}
		res, err := d.SendAibotStream(ctx, chatID, string(orig.ChatType), orig.SenderID, s.ID)
		s.Refreshes++
		if err != nil {
			return s, err
		}
		s.Last = res
		if len(res.Reply) == 0 {
			continue // nothing new yet
		}
		if err := s.absorb(res); err != nil {
			return s, err
		}
	}
	return s, nil
}

func (s *Stream) absorb(res *Result) error {
	var r streamReply
	if err := json.Unmarshal(res.Reply, &r); err != nil {
		return fmt.Errorf("%w: %v", ErrBadReply, err)
	}
	if r.Stream == nil || (r.MsgType != "stream" && r.MsgType != "stream_with_template_card") {
		return fmt.Errorf("%w: msgtype %q is not a stream", ErrBadReply, r.MsgType)
	}
	if r.Stream.ID != "" {
		if s.ID != "" && r.Stream.ID != s.ID {
			return fmt.Errorf("%w: stream id changed from %q to %q", ErrBadReply, s.ID, r.Stream.ID)
		}
		s.ID = r.Stream.ID
	}
	s.Content, s.Finished = r.Stream.Content, r.Stream.Finish
	return nil
}

// --- self-built app ------------------------------------------------------

// AppHeader returns the common fields of an app callback from userID, with
// the current real time and a fresh 64-bit MsgId.
func (d *Driver) AppHeader(userID string) (AppMsg, error) {
	g := d.gen()
	h := AppMsg{CorpID: d.opts.CorpID, UserID: userID, CreateTime: d.opts.Clock.Now().Unix(), AgentID: d.opts.AgentID, MsgID: g.digits(19)}
	if h.MsgID > "9223372036854775807" { // keep it a valid int64
		h.MsgID = "1" + h.MsgID[1:]
	}
	return h, g.err
}

func (d *Driver) sendApp(ctx context.Context, userID string, build func(AppMsg) []byte) (*Result, error) {
	if err := d.want(bot.ChannelApp); err != nil {
		return nil, err
	}
	h, err := d.AppHeader(userID)
	if err != nil {
		return nil, err
	}
	return d.Send(ctx, d.opts.Path, build(h))
}

// SendAppText sends an app text message.
func (d *Driver) SendAppText(ctx context.Context, userID, text string) (*Result, error) {
	return d.sendApp(ctx, userID, func(h AppMsg) []byte { return AppText(h, text) })
}

// SendAppImage sends an app image message.
func (d *Driver) SendAppImage(ctx context.Context, userID, picURL, mediaID string) (*Result, error) {
	return d.sendApp(ctx, userID, func(h AppMsg) []byte { return AppImage(h, picURL, mediaID) })
}

// SendAppEvent sends an app event (enter_agent, …).
func (d *Driver) SendAppEvent(ctx context.Context, userID, event, eventKey string) (*Result, error) {
	return d.sendApp(ctx, userID, func(h AppMsg) []byte { return AppEvent(h, event, eventKey) })
}

// SendAppCardEvent sends an app template_card_event. An empty
// responseCode gets a fresh one.
func (d *Driver) SendAppCardEvent(ctx context.Context, userID, cardType, taskID, eventKey, responseCode string, selected map[string][]string) (*Result, error) {
	if responseCode == "" {
		g := d.gen()
		responseCode = g.hex(16)
		if g.err != nil {
			return nil, g.err
		}
	}
	return d.sendApp(ctx, userID, func(h AppMsg) []byte {
		return AppCardEvent(h, cardType, taskID, eventKey, responseCode, selected)
	})
}
