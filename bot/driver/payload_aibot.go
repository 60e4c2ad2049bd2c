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

type aibotText struct {
	Content string `json:"content"`
}

type aibotURL struct {
	URL string `json:"url"`
}

type aibotItem struct {
	MsgType string     `json:"msgtype"`
	Text    *aibotText `json:"text,omitempty"`
	Image   *aibotURL  `json:"image,omitempty"`
}

type aibotJSON struct {
	MsgID       string     `json:"msgid"`
	CreateTime  int64      `json:"create_time,omitempty"`
	AibotID     string     `json:"aibotid"`
	ChatID      string     `json:"chatid,omitempty"`
	ChatType    string     `json:"chattype"`
	From        aibotFrom  `json:"from"`
	ResponseURL string     `json:"response_url,omitempty"`
	MsgType     string     `json:"msgtype"`
	Text        *aibotText `json:"text,omitempty"`
	Image       *aibotURL  `json:"image,omitempty"`
	File        *aibotURL  `json:"file,omitempty"`
	Voice       *aibotText `json:"voice,omitempty"`
	Mixed       *struct {
		Items []aibotItem `json:"msg_item"`
	} `json:"mixed,omitempty"`
	Stream *struct {
		ID string `json:"id"`
	} `json:"stream,omitempty"`
	Event map[string]any `json:"event,omitempty"`
}

func (h AibotMsg) base(msgType string) aibotJSON {
	return aibotJSON{MsgID: h.MsgID, CreateTime: h.CreateTime, AibotID: h.AibotID, ChatID: h.ChatID, ChatType: h.ChatType,
		From: aibotFrom{h.UserID, h.CorpID}, ResponseURL: h.ResponseURL, MsgType: msgType}
}

// AibotText is a text message ("@RobotA …" in groups).
func AibotText(h AibotMsg, text string) []byte {
	j := h.base("text")
	j.Text = &aibotText{text}
	return mustJSON(j)
}

// AibotVoice is a voice message with its speech recognition text.
func AibotVoice(h AibotMsg, text string) []byte {
	j := h.base("voice")
	j.Voice = &aibotText{text}
	return mustJSON(j)
}

// AibotImage is an image message; the URL serves AES-encrypted bytes.
func AibotImage(h AibotMsg, url string) []byte {
	j := h.base("image")
	j.Image = &aibotURL{url}
	return mustJSON(j)
}

// AibotFile is a file message; the URL serves AES-encrypted bytes.
func AibotFile(h AibotMsg, url string) []byte {
	j := h.base("file")
	j.File = &aibotURL{url}
	return mustJSON(j)
}

// AibotMixed is a text followed by images.
func AibotMixed(h AibotMsg, text string, imageURLs ...string) []byte {
	j := h.base("mixed")
	j.Mixed = &struct {
		Items []aibotItem `json:"msg_item"`
	}{[]aibotItem{{MsgType: "text", Text: &aibotText{text}}}}
	for _, u := range imageURLs {
		j.Mixed.Items = append(j.Mixed.Items, aibotItem{MsgType: "image", Image: &aibotURL{u}})
	}
	return mustJSON(j)
}

// AibotStream is a stream refresh for a stream id the bot started. It
// carries no response_url.
func AibotStream(h AibotMsg, streamID string) []byte {
	h.ResponseURL = ""
	j := h.base("stream")
	j.Stream = &struct {
		ID string `json:"id"`
	}{streamID}
	return mustJSON(j)
}

// AibotEvent is an event without a body of interest (enter_chat,
// feedback_event).
func AibotEvent(h AibotMsg, eventType string) []byte {
	j := h.base("event")
	j.Event = map[string]any{"eventtype": eventType, eventType: map[string]any{}}
	return mustJSON(j)
}

// AibotCardEvent is a template_card_event: a button click (eventKey) or a
// submitted selection (selected: question key → option ids).
func AibotCardEvent(h AibotMsg, cardType, taskID, eventKey string, selected map[string][]string) []byte {
	j := h.base("event")
	ev := map[string]any{"card_type": cardType, "event_key": eventKey, "task_id": taskID}
	if len(selected) > 0 {
		var items []map[string]any
		for _, q := range sortedKeys(selected) {
			items = append(items, map[string]any{"question_key": q, "option_ids": map[string]any{"option_id": selected[q]}})
		}
		ev["selected_items"] = map[string]any{"selected_item": items}
	}
	j.Event = map[string]any{"eventtype": bot.EventTemplateCard, bot.EventTemplateCard: ev}
	return mustJSON(j)
}
