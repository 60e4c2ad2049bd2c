package bot

import (
	"encoding/xml"
	"strings"
	"time"
)

type appXML struct {
	XMLName       xml.Name `xml:"xml"`
	ToUserName    string   `xml:"ToUserName"`
	FromUserName  string   `xml:"FromUserName"`
	CreateTime    string   `xml:"CreateTime"`
	MsgType       string   `xml:"MsgType"`
	AgentID       string   `xml:"AgentID"`
	MsgID         string   `xml:"MsgId"`
	Content       string   `xml:"Content"`
	PicURL        string   `xml:"PicUrl"`
	MediaID       string   `xml:"MediaId"`
	Recognition   string   `xml:"Recognition"`
	Event         string   `xml:"Event"`
	EventKey      string   `xml:"EventKey"`
	TaskID        string   `xml:"TaskId"`
	CardType      string   `xml:"CardType"`
	ResponseCode  string   `xml:"ResponseCode"`
	SelectedItems struct {
		Items []struct {
			QuestionKey string   `xml:"QuestionKey"`
			OptionIDs   []string `xml:"OptionIds>OptionId"`
		} `xml:"SelectedItem"`
	} `xml:"SelectedItems"`
}

// ParseApp parses a decrypted self-built application callback (XML),
// including template_card_event clicks with CDATA values.
func ParseApp(plaintext []byte) (*Message, error) {
	const ch = ChannelApp
	var x appXML
	if err := xml.Unmarshal(plaintext, &x); err != nil {
		return nil, malformed(ch, err)
	}
	for _, f := range []*string{&x.ToUserName, &x.FromUserName, &x.CreateTime, &x.MsgType, &x.AgentID,
		&x.MsgID, &x.Event, &x.EventKey, &x.TaskID, &x.CardType, &x.ResponseCode} {
		*f = strings.TrimSpace(*f)
	}
	if x.MsgType == "" {
		return nil, missing(ch, "MsgType")
	}
	if x.FromUserName == "" {
		return nil, missing(ch, "FromUserName")
	}
	m := &Message{
		Channel: ch, Format: FormatXML, RawType: x.MsgType,
		ChatID: x.FromUserName, ChatType: ChatSingle,
		SenderID: x.FromUserName, ToID: x.ToUserName, AgentID: x.AgentID,
		MsgID: x.MsgID,
	}
	if x.CreateTime != "" {
		s, err := parseUnix(x.CreateTime)
		if err != nil {
			return nil, malformed(ch, err)
		}
		m.CreateTime = time.Unix(s, 0)
	}
	if x.MsgType == "event" {
		if x.Event == "" {
			return nil, missing(ch, "Event")
		}
		if x.CreateTime == "" {
			return nil, missing(ch, "CreateTime")
		}
		// Documented key: FromUserName + CreateTime; the event, its key and
		// task only make accidental collisions rarer.
		m.DedupeKey = strings.Join([]string{string(ch), x.FromUserName, x.CreateTime, x.Event, x.EventKey, x.TaskID}, ":")
	} else {
		if x.MsgID == "" {
			return nil, missing(ch, "MsgId")
		}
		m.DedupeKey = string(ch) + ":" + x.MsgID
	}
	switch x.MsgType {
	case "text":
		m.Kind = KindText
		m.RawText = x.Content
		m.Text = strings.TrimSpace(x.Content)
	case "image":
		if x.PicURL == "" && x.MediaID == "" {
			return nil, missing(ch, "PicUrl")
		}
		m.Kind = KindImage
		m.Images = []Image{{URL: x.PicURL, MediaID: x.MediaID}}
	case "voice":
		m.Kind = KindVoice
		m.RawText = x.Recognition
		m.Text = strings.TrimSpace(x.Recognition)
	case "event":
		m.Kind = KindEvent
		m.Event = x.Event
		if x.Event == EventTemplateCard || x.Event == EventCardMenu {
			m.Kind = KindClick
			k := &Click{TaskID: x.TaskID, CardType: x.CardType, Key: x.EventKey, ResponseCode: x.ResponseCode}
			for _, it := range x.SelectedItems.Items {
				if k.Selected == nil {
					k.Selected = map[string][]string{}
				}
				ids := []string{}
				for _, id := range it.OptionIDs {
					ids = append(ids, strings.TrimSpace(id))
				}
				q := strings.TrimSpace(it.QuestionKey)
				if k.Selected[q] == nil {
					k.Selected[q] = []string{}
				}
				k.Selected[q] = append(k.Selected[q], ids...)
			}
			m.Click = k
			m.Text = x.EventKey
			m.RawText = x.EventKey
		}
	default:
		m.Kind = KindOther
	}
	return m, nil
}
