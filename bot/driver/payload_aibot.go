package driver

import "firebot/bot"

// AibotMsg holds the fields common to intelligent-robot callbacks.
type AibotMsg struct {
	MsgID       string
	CreateTime  int64 // events only; 0 = omitted
	AibotID     string
	ChatID      string // groups only
	ChatType    string // single | group
	UserID      string
	CorpID      string
	ResponseURL string
}

type aibotFrom struct {
	UserID string `json:"userid"`
	CorpID string `json:"corpid,omitempty"`
}

type aibotURL struct {
	URL string `json:"url"`
}

type aibotItem struct {
	MsgType string    `json:"msgtype"`
	Text    *jsonText `json:"text,omitempty"`
	Image   *aibotURL `json:"image,omitempty"`
}

type aibotJSON struct {
	MsgID       string         `json:"msgid"`
	CreateTime  int64          `json:"create_time,omitempty"`
	AibotID     string         `json:"aibotid"`
	ChatID      string         `json:"chatid,omitempty"`
	ChatType    string         `json:"chattype"`
	From        aibotFrom      `json:"from"`
	ResponseURL string         `json:"response_url,omitempty"`
	MsgType     string         `json:"msgtype"`
	Text        *jsonText      `json:"text,omitempty"`
	Image       *aibotURL      `json:"image,omitempty"`
	File        *aibotURL      `json:"file,omitempty"`
	Voice       *jsonText      `json:"voice,omitempty"`
	Mixed       *aibotMixed    `json:"mixed,omitempty"`
	Stream      *aibotStream   `json:"stream,omitempty"`
	Event       map[string]any `json:"event,omitempty"`
}

type aibotMixed struct {
	Items []aibotItem `json:"msg_item"`
}

type aibotStream struct {
	ID string `json:"id"`
}

// build is the callback of type msgType from h, with its body set by body.
func (h AibotMsg) build(msgType string, body func(j *aibotJSON)) []byte {
	j := aibotJSON{MsgID: h.MsgID, CreateTime: h.CreateTime, AibotID: h.AibotID, ChatID: h.ChatID, ChatType: h.ChatType,
		From: aibotFrom{h.UserID, h.CorpID}, ResponseURL: h.ResponseURL, MsgType: msgType}
	body(&j)
	return mustJSON(j)
}

// AibotText is a text message ("@RobotA …" in groups).
func AibotText(h AibotMsg, text string) []byte {
	return h.build("text", func(j *aibotJSON) { j.Text = &jsonText{text} })
}

// AibotVoice is a voice message with its speech recognition text.
func AibotVoice(h AibotMsg, text string) []byte {
	return h.build("voice", func(j *aibotJSON) { j.Voice = &jsonText{text} })
}

// AibotImage is an image message; the URL serves AES-encrypted bytes.
func AibotImage(h AibotMsg, url string) []byte {
	return h.build("image", func(j *aibotJSON) { j.Image = &aibotURL{url} })
}

// AibotFile is a file message; the URL serves AES-encrypted bytes.
func AibotFile(h AibotMsg, url string) []byte {
	return h.build("file", func(j *aibotJSON) { j.File = &aibotURL{url} })
}

// AibotMixed is a text followed by images.
func AibotMixed(h AibotMsg, text string, imageURLs ...string) []byte {
	items := []aibotItem{{MsgType: "text", Text: &jsonText{text}}}
	for _, u := range imageURLs {
		items = append(items, aibotItem{MsgType: "image", Image: &aibotURL{u}})
	}
	return h.build("mixed", func(j *aibotJSON) { j.Mixed = &aibotMixed{items} })
}

// AibotStream is a stream refresh for a stream id the bot started. It
// carries no response_url.
func AibotStream(h AibotMsg, streamID string) []byte {
	h.ResponseURL = ""
	return h.build("stream", func(j *aibotJSON) { j.Stream = &aibotStream{streamID} })
}

// AibotEvent is an event without a body of interest (enter_chat,
// feedback_event).
func AibotEvent(h AibotMsg, eventType string) []byte {
	return h.build("event", func(j *aibotJSON) { j.Event = map[string]any{"eventtype": eventType, eventType: map[string]any{}} })
}

// AibotCardEvent is a template_card_event: a button click (eventKey) or a
// submitted selection (selected: question key → option ids).
func AibotCardEvent(h AibotMsg, cardType, taskID, eventKey string, selected map[string][]string) []byte {
	ev := map[string]any{"card_type": cardType, "event_key": eventKey, "task_id": taskID}
	if len(selected) > 0 {
		var items []map[string]any
		for _, q := range sortedKeys(selected) {
			items = append(items, map[string]any{"question_key": q, "option_ids": map[string]any{"option_id": selected[q]}})
		}
		ev["selected_items"] = map[string]any{"selected_item": items}
	}
	return h.build("event", func(j *aibotJSON) {
		j.Event = map[string]any{"eventtype": bot.EventTemplateCard, bot.EventTemplateCard: ev}
	})
}
