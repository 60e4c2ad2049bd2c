package bot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strings"
)

// robotPayload is the group-robot callback after decoding either format.
type robotPayload struct {
	WebhookURL, MsgID, ChatID, PostID, ChatType string
	UserID, Name, Alias                         string
	ChatInfoURL, MsgType                        string
	Content, ImageURL                           string
	Items                                       []robotItem
	HasMixed                                    bool
	EventType                                   string
	CallbackID                                  string
	Actions                                     []robotAction
}

type robotItem struct{ MsgType, Content, ImageURL string }

type robotAction struct {
	Name  string `xml:"Name" json:"name"`
	Value string `xml:"Value" json:"value"`
	Type  string `xml:"Type" json:"type"`
}

// robotFields are the callback fields both formats carry with the same
// shape; each is tagged with its name in either.
type robotFields struct {
	WebhookURL string `xml:"WebhookUrl" json:"webhook_url"`
	ChatID     string `xml:"ChatId" json:"chatid"`
	ChatType   string `xml:"ChatType" json:"chattype"`
	From       struct {
		UserID string `xml:"UserId" json:"userid"`
		Name   string `xml:"Name" json:"name"`
		Alias  string `xml:"Alias" json:"alias"`
	} `xml:"From" json:"from"`
	ChatInfoURL string      `xml:"GetChatInfoUrl" json:"get_chat_info_url"`
	MsgType     string      `xml:"MsgType" json:"msgtype"`
	Text        robotText   `xml:"Text" json:"text"`
	Image       robotImage  `xml:"Image" json:"image"`
	Mixed       *robotMixed `xml:"MixedMessage" json:"mixed_message"`
	Event       struct {
		EventType string `xml:"EventType" json:"event_type"`
	} `xml:"Event" json:"event"`
}

type robotText struct {
	Content string `xml:"Content" json:"content"`
}

type robotImage struct {
	ImageURL string `xml:"ImageUrl" json:"image_url"`
}

type robotMixed struct {
	Items []struct {
		MsgType string     `xml:"MsgType" json:"msg_type"`
		Text    robotText  `xml:"Text" json:"text"`
		Image   robotImage `xml:"Image" json:"image"`
	} `xml:"MsgItem" json:"msg_item"`
}

// payload is the decoded callback as far as the fields alike in both
// formats go.
func (f *robotFields) payload() robotPayload {
	p := robotPayload{
		WebhookURL: f.WebhookURL, ChatID: f.ChatID, ChatType: f.ChatType,
		UserID: f.From.UserID, Name: f.From.Name, Alias: f.From.Alias,
		ChatInfoURL: f.ChatInfoURL, MsgType: f.MsgType,
		Content: f.Text.Content, ImageURL: f.Image.ImageURL,
		EventType: f.Event.EventType,
	}
	if f.Mixed != nil {
		p.HasMixed = true
		for _, it := range f.Mixed.Items {
			p.Items = append(p.Items, robotItem{it.MsgType, it.Text.Content, it.Image.ImageURL})
		}
	}
	return p
}

type robotXML struct {
	XMLName xml.Name `xml:"xml"`
	robotFields
	MsgID      string `xml:"MsgId"`
	PostID     string `xml:"PostId"`
	Attachment struct {
		CallbackID string        `xml:"CallbackId"`
		Actions    []robotAction `xml:"Actions"`
	} `xml:"Attachment"`
}

type robotJSON struct {
	robotFields
	MsgID      flexString `json:"msgid"`
	PostID     flexString `json:"postid"`
	Attachment struct {
		CallbackID string `json:"callbackid"`
		// CallbackIDAlt is the spelling one public implementation uses.
		CallbackIDAlt string          `json:"callback_id"`
		Actions       json.RawMessage `json:"actions"` // array, or one object
	} `json:"attachment"`
}

// ParseRobot parses a decrypted group-robot callback: XML by default, JSON
// when the callback URL carries robot_callback_format=json (see FormatOf).
// robotName, when known, is stripped from the start of texts.
func ParseRobot(plaintext []byte, f Format, robotName string) (*Message, error) {
	var p robotPayload
	var err error
	if f == FormatJSON {
		p, err = decodeRobotJSON(plaintext)
	} else {
		p, err = decodeRobotXML(plaintext)
	}
	if err != nil {
		return nil, malformed(ChannelRobot, err)
	}
	m, err := p.message(robotName)
	if err != nil {
		return nil, err
	}
	m.Format = f
	if m.DedupeKey == "" {
		m.DedupeKey = fallbackKey(ChannelRobot, plaintext)
	}
	return m, nil
}

func decodeRobotXML(b []byte) (robotPayload, error) {
	var x robotXML
	if err := xml.Unmarshal(b, &x); err != nil {
		return robotPayload{}, err
	}
	p := x.payload()
	p.MsgID, p.PostID = x.MsgID, x.PostID
	p.CallbackID, p.Actions = x.Attachment.CallbackID, x.Attachment.Actions
	return p, nil
}

func decodeRobotJSON(b []byte) (robotPayload, error) {
	var j robotJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return robotPayload{}, err
	}
	p := j.payload()
	p.MsgID, p.PostID = string(j.MsgID), string(j.PostID)
	p.CallbackID = cmp.Or(j.Attachment.CallbackID, j.Attachment.CallbackIDAlt)
	if acts := bytes.TrimSpace(j.Attachment.Actions); len(acts) > 0 && string(acts) != "null" {
		if acts[0] == '{' {
			var a robotAction
			if err := json.Unmarshal(acts, &a); err != nil {
				return p, err
			}
			p.Actions = []robotAction{a}
		} else if err := json.Unmarshal(acts, &p.Actions); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (p robotPayload) message(robotName string) (*Message, error) {
	const ch = ChannelRobot
	for _, f := range []*string{&p.MsgType, &p.MsgID, &p.ChatID, &p.ChatType, &p.UserID, &p.EventType, &p.PostID} {
		*f = strings.TrimSpace(*f)
	}
	if p.MsgType == "" {
		return nil, missing(ch, "MsgType")
	}
	if p.ChatID == "" {
		return nil, missing(ch, "ChatId")
	}
	m := &Message{
		Channel: ch, RawType: p.MsgType,
		ChatID: p.ChatID, ChatType: ChatType(p.ChatType),
		SenderID: p.UserID, SenderName: p.Name,
		MsgID: p.MsgID, WebhookKey: webhookAddress(p.WebhookURL),
		ChatInfoURL: p.ChatInfoURL, PostID: p.PostID,
	}
	if p.MsgID != "" {
		m.DedupeKey = string(ch) + ":" + p.MsgID
	}
	group := m.ChatType != ChatSingle
	if p.MsgType != "event" {
		// Everything a user sends has an id and a sender.
		if p.MsgID == "" {
			return nil, missing(ch, "MsgId")
		}
		if p.UserID == "" {
			return nil, missing(ch, "From/UserId")
		}
	}
	switch p.MsgType {
	case "text":
		m.Kind = KindText
		m.RawText = p.Content
		m.Text = StripMention(p.Content, robotName, group)
	case "image":
		if p.ImageURL == "" {
			return nil, missing(ch, "Image/ImageUrl")
		}
		m.Kind = KindImage
		m.Images = []Image{{URL: p.ImageURL}}
	case "mixed":
		if !p.HasMixed || len(p.Items) == 0 {
			return nil, missing(ch, "MixedMessage/MsgItem")
		}
		m.Kind = KindMixed
		var texts []string
		for _, it := range p.Items {
			switch it.MsgType {
			case "text":
				texts = append(texts, it.Content)
			case "image":
				if it.ImageURL != "" {
					m.Images = append(m.Images, Image{URL: it.ImageURL})
				}
			}
		}
		m.RawText = strings.Join(texts, "\n")
		m.Text = StripMention(m.RawText, robotName, group)
	case "event":
		if p.EventType == "" {
			return nil, missing(ch, "Event/EventType")
		}
		m.Kind = KindEvent
		m.Event = p.EventType
	case "attachment":
		if len(p.Actions) == 0 {
			return nil, missing(ch, "Attachment/Actions")
		}
		a := p.Actions[0]
		key := a.Value
		if key == "" {
			key = a.Name
		}
		m.Kind = KindClick
		m.Click = &Click{CallbackID: p.CallbackID, Key: key}
		m.Text = key
		m.RawText = key
	default:
		m.Kind = KindOther
	}
	return m, nil
}

// webhookAddress keeps the query of a robot's WebhookUrl and drops its
// host (firebot posts to its configured API base): the bare key when the
// key is all the query holds, as it usually is, otherwise the whole query
// ("key=…&…"), which wecom.Client.WebhookSend accepts in place of a key.
// A WebhookUrl without a key gives "".
func webhookAddress(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil || q.Get("key") == "" {
		return ""
	}
	if len(q) == 1 && len(q["key"]) == 1 {
		return q.Get("key")
	}
	return u.RawQuery
}
