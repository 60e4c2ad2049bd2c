package driver

import (
	"encoding/json"
	"encoding/xml"
	"slices"

	"firebot/bot"
)

// Payload builders: the decrypted plaintexts WeCom sends, per channel and
// message type (protocol fact sheet §3.1, §4, §5). They never fail; feed
// them to Driver.Send, or tamper with them for malformed-input tests.

type cdata struct {
	Text string `xml:",cdata"`
}

func cd(s string) *cdata {
	if s == "" {
		return nil
	}
	return &cdata{s}
}

func mustXML(v any) []byte {
	b, err := xml.Marshal(v)
	if err != nil {
		panic("driver: marshal payload: " + err.Error()) // fixed shapes: cannot happen
	}
	return b
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("driver: marshal payload: " + err.Error()) // fixed shapes: cannot happen
	}
	return b
}

// --- group robot -------------------------------------------------------

// RobotMsg holds the fields common to every group-robot callback.
type RobotMsg struct {
	WebhookURL  string
	MsgID       string
	ChatID      string
	PostID      string
	ChatType    string // group | single | blackboard | blackboard_reply
	UserID      string
	Name        string
	Alias       string
	ChatInfoURL string
}

type robotXMLText struct {
	Content cdata `xml:"Content"`
}

type robotXMLImage struct {
	ImageURL cdata `xml:"ImageUrl"`
}

type robotXMLItem struct {
	MsgType string         `xml:"MsgType"`
	Text    *robotXMLText  `xml:"Text,omitempty"`
	Image   *robotXMLImage `xml:"Image,omitempty"`
}

type robotXMLAction struct {
	Name  cdata `xml:"Name"`
	Value cdata `xml:"Value"`
	Type  cdata `xml:"Type"`
}

type robotXML struct {
	XMLName    xml.Name `xml:"xml"`
	WebhookURL *cdata   `xml:"WebhookUrl,omitempty"`
	MsgID      *cdata   `xml:"MsgId,omitempty"`
	ChatID     *cdata   `xml:"ChatId,omitempty"`
	PostID     *cdata   `xml:"PostId,omitempty"`
	ChatType   string   `xml:"ChatType,omitempty"`
	From       struct {
		UserID string `xml:"UserId"`
		Name   *cdata `xml:"Name,omitempty"`
		Alias  *cdata `xml:"Alias,omitempty"`
	} `xml:"From"`
	ChatInfoURL *cdata              `xml:"GetChatInfoUrl,omitempty"`
	MsgType     string              `xml:"MsgType"`
	Text        *robotXMLText       `xml:"Text,omitempty"`
	Image       *robotXMLImage      `xml:"Image,omitempty"`
	Mixed       *robotXMLMixed      `xml:"MixedMessage,omitempty"`
	Event       *robotXMLEvent      `xml:"Event,omitempty"`
	Attachment  *robotXMLAttachment `xml:"Attachment,omitempty"`
}

type robotXMLMixed struct {
	Items []robotXMLItem `xml:"MsgItem"`
}

type robotXMLEvent struct {
	EventType string `xml:"EventType"`
}

type robotXMLAttachment struct {
	CallbackID cdata            `xml:"CallbackId"`
	Actions    []robotXMLAction `xml:"Actions"`
}

// jsonText is a text in the JSON callbacks (robot and intelligent robot).
type jsonText struct {
	Content string `json:"content"`
}

type robotJSONImage struct {
	ImageURL string `json:"image_url"`
}

type robotJSONItem struct {
	MsgType string          `json:"msg_type"`
	Text    *jsonText       `json:"text,omitempty"`
	Image   *robotJSONImage `json:"image,omitempty"`
}

type robotJSONAction struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Type  string `json:"type"`
}

type robotJSON struct {
	WebhookURL string `json:"webhook_url,omitempty"`
	MsgID      string `json:"msgid,omitempty"`
	ChatID     string `json:"chatid,omitempty"`
	PostID     string `json:"postid,omitempty"`
	ChatType   string `json:"chattype,omitempty"`
	From       struct {
		UserID string `json:"userid"`
		Name   string `json:"name,omitempty"`
		Alias  string `json:"alias,omitempty"`
	} `json:"from"`
	ChatInfoURL string               `json:"get_chat_info_url,omitempty"`
	MsgType     string               `json:"msgtype"`
	Text        *jsonText            `json:"text,omitempty"`
	Image       *robotJSONImage      `json:"image,omitempty"`
	Mixed       *robotJSONMixed      `json:"mixed_message,omitempty"`
	Event       *robotJSONEvent      `json:"event,omitempty"`
	Attachment  *robotJSONAttachment `json:"attachment,omitempty"`
}

type robotJSONMixed struct {
	Items []robotJSONItem `json:"msg_item"`
}

type robotJSONEvent struct {
	EventType string `json:"event_type"`
}

type robotJSONAttachment struct {
	CallbackID string            `json:"callbackid"`
	Actions    []robotJSONAction `json:"actions"`
}

// robotPayload is one robot callback in format-neutral form.
type robotPayload struct {
	msgType    string
	text       string
	imageURL   string
	items      []robotJSONItem
	eventType  string
	callbackID string
	action     *robotJSONAction
}

func (h RobotMsg) build(f bot.Format, p robotPayload) []byte {
	if f == bot.FormatJSON {
		j := robotJSON{WebhookURL: h.WebhookURL, MsgID: h.MsgID, ChatID: h.ChatID, PostID: h.PostID, ChatType: h.ChatType,
			ChatInfoURL: h.ChatInfoURL, MsgType: p.msgType}
		j.From.UserID, j.From.Name, j.From.Alias = h.UserID, h.Name, h.Alias
		switch p.msgType {
		case "text":
			j.Text = &jsonText{p.text}
		case "image":
			j.Image = &robotJSONImage{p.imageURL}
		case "mixed":
			j.Mixed = &robotJSONMixed{p.items}
		case "event":
			j.Event = &robotJSONEvent{p.eventType}
		case "attachment":
			j.Attachment = &robotJSONAttachment{p.callbackID, []robotJSONAction{*p.action}}
		}
		return mustJSON(j)
	}
	x := robotXML{WebhookURL: cd(h.WebhookURL), MsgID: cd(h.MsgID), ChatID: cd(h.ChatID), PostID: cd(h.PostID),
		ChatType: h.ChatType, ChatInfoURL: cd(h.ChatInfoURL), MsgType: p.msgType}
	x.From.UserID, x.From.Name, x.From.Alias = h.UserID, cd(h.Name), cd(h.Alias)
	switch p.msgType {
	case "text":
		x.Text = &robotXMLText{cdata{p.text}}
	case "image":
		x.Image = &robotXMLImage{cdata{p.imageURL}}
	case "mixed":
		x.Mixed = &robotXMLMixed{}
		for _, it := range p.items {
			xi := robotXMLItem{MsgType: it.MsgType}
			if it.Text != nil {
				xi.Text = &robotXMLText{cdata{it.Text.Content}}
			}
			if it.Image != nil {
				xi.Image = &robotXMLImage{cdata{it.Image.ImageURL}}
			}
			x.Mixed.Items = append(x.Mixed.Items, xi)
		}
	case "event":
		x.Event = &robotXMLEvent{p.eventType}
	case "attachment":
		x.Attachment = &robotXMLAttachment{cdata{p.callbackID}, []robotXMLAction{{cdata{p.action.Name}, cdata{p.action.Value}, cdata{p.action.Type}}}}
	}
	return mustXML(x)
}

// RobotText is a text message (in groups it starts with "@<robot name>").
func RobotText(f bot.Format, h RobotMsg, text string) []byte {
	return h.build(f, robotPayload{msgType: "text", text: text})
}

// RobotImage is an image message (1:1 chats only).
func RobotImage(f bot.Format, h RobotMsg, imageURL string) []byte {
	return h.build(f, robotPayload{msgType: "image", imageURL: imageURL})
}

// RobotMixed is a text followed by images.
func RobotMixed(f bot.Format, h RobotMsg, text string, imageURLs ...string) []byte {
	items := []robotJSONItem{{MsgType: "text", Text: &jsonText{text}}}
	for _, u := range imageURLs {
		items = append(items, robotJSONItem{MsgType: "image", Image: &robotJSONImage{u}})
	}
	return h.build(f, robotPayload{msgType: "mixed", items: items})
}

// RobotEvent is an event: add_to_chat, delete_from_chat, enter_chat.
func RobotEvent(f bot.Format, h RobotMsg, eventType string) []byte {
	return h.build(f, robotPayload{msgType: "event", eventType: eventType})
}

// RobotClick is a click on a markdown attachment button.
func RobotClick(f bot.Format, h RobotMsg, callbackID, name, value string) []byte {
	return h.build(f, robotPayload{msgType: "attachment", callbackID: callbackID,
		action: &robotJSONAction{Name: name, Value: value, Type: "button"}})
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
