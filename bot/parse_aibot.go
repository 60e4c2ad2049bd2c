package bot

import (
	"encoding/json"
	"strings"
	"time"
)

type aibotText struct {
	Content string `json:"content"`
}

type aibotURL struct {
	URL string `json:"url"`
}

type aibotJSON struct {
	MsgID      flexString `json:"msgid"`
	CreateTime flexString `json:"create_time"`
	AibotID    string     `json:"aibotid"`
	ChatID     string     `json:"chatid"`
	ChatType   string     `json:"chattype"`
	From       struct {
		UserID string `json:"userid"`
		CorpID string `json:"corpid"`
	} `json:"from"`
	ResponseURL string     `json:"response_url"`
	MsgType     string     `json:"msgtype"`
	Text        *aibotText `json:"text"`
	Image       *aibotURL  `json:"image"`
	Mixed       *struct {
		Items []struct {
			MsgType string     `json:"msgtype"`
			Text    *aibotText `json:"text"`
			Image   *aibotURL  `json:"image"`
		} `json:"msg_item"`
	} `json:"mixed"`
	Voice  *aibotText `json:"voice"`
	File   *aibotURL  `json:"file"`
	Stream *struct {
		ID string `json:"id"`
	} `json:"stream"`
	Event *struct {
		EventType    string         `json:"eventtype"`
		TemplateCard *aibotCardJSON `json:"template_card_event"`
	} `json:"event"`
}

type aibotCardJSON struct {
	CardType      string `json:"card_type"`
	EventKey      string `json:"event_key"`
	TaskID        string `json:"task_id"`
	SelectedItems *struct {
		Items []struct {
			QuestionKey string `json:"question_key"`
			OptionIDs   struct {
				IDs []flexString `json:"option_id"`
			} `json:"option_ids"`
		} `json:"selected_item"`
	} `json:"selected_items"`
}

// ParseAibot parses a decrypted intelligent-robot callback (JSON).
// robotName, when known, is stripped from the start of texts.
func ParseAibot(plaintext []byte, robotName string) (*Message, error) {
	const ch = ChannelAibot
	var j aibotJSON
	if err := json.Unmarshal(plaintext, &j); err != nil {
		return nil, malformed(ch, err)
	}
	j.MsgType = strings.TrimSpace(j.MsgType)
	if j.MsgType == "" {
		return nil, missing(ch, "msgtype")
	}
	m := &Message{
		Channel: ch, Format: FormatJSON, RawType: j.MsgType,
		ChatID: j.ChatID, ChatType: ChatType(j.ChatType),
		SenderID: j.From.UserID, ToID: j.From.CorpID, AgentID: j.AibotID,
		MsgID: string(j.MsgID), ResponseURL: j.ResponseURL,
	}
	if m.ChatID == "" && m.ChatType != ChatGroup {
		m.ChatID = m.SenderID
	}
	if j.CreateTime != "" {
		s, err := parseUnix(string(j.CreateTime))
		if err != nil {
			return nil, malformed(ch, err)
		}
		m.CreateTime = time.Unix(s, 0)
	}
	if j.MsgType != "event" && j.MsgType != "stream" {
		if m.MsgID == "" {
			return nil, missing(ch, "msgid")
		}
		if m.SenderID == "" {
			return nil, missing(ch, "from.userid")
		}
	}
	group := m.ChatType == ChatGroup
	switch j.MsgType {
	case "text":
		if j.Text == nil {
			return nil, missing(ch, "text")
		}
		m.Kind = KindText
		m.RawText = j.Text.Content
		m.Text = StripMention(j.Text.Content, robotName, group)
	case "voice":
		if j.Voice == nil {
			return nil, missing(ch, "voice")
		}
		m.Kind = KindVoice
		m.RawText = j.Voice.Content
		m.Text = strings.TrimSpace(j.Voice.Content)
	case "image":
		if j.Image == nil || j.Image.URL == "" {
			return nil, missing(ch, "image.url")
		}
		m.Kind = KindImage
		m.Images = []Image{{URL: j.Image.URL, Encrypted: true}}
	case "file":
		if j.File == nil || j.File.URL == "" {
			return nil, missing(ch, "file.url")
		}
		m.Kind = KindFile
		m.Files = []File{{URL: j.File.URL, Encrypted: true}}
	case "mixed":
		if j.Mixed == nil || len(j.Mixed.Items) == 0 {
			return nil, missing(ch, "mixed.msg_item")
		}
		m.Kind = KindMixed
		var texts []string
		for _, it := range j.Mixed.Items {
			switch {
			case it.MsgType == "text" && it.Text != nil:
				texts = append(texts, it.Text.Content)
			case it.MsgType == "image" && it.Image != nil && it.Image.URL != "":
				m.Images = append(m.Images, Image{URL: it.Image.URL, Encrypted: true})
			}
		}
		m.RawText = strings.Join(texts, "\n")
		m.Text = StripMention(m.RawText, robotName, group)
	case "stream":
		if j.Stream == nil || j.Stream.ID == "" {
			return nil, missing(ch, "stream.id")
		}
		m.Kind = KindStream
		m.StreamID = j.Stream.ID
	case "event":
		if j.Event == nil || j.Event.EventType == "" {
			return nil, missing(ch, "event.eventtype")
		}
		m.Kind = KindEvent
		m.Event = j.Event.EventType
		if m.Event == EventTemplateCard {
			c := j.Event.TemplateCard
			if c == nil {
				return nil, missing(ch, "event.template_card_event")
			}
			m.Kind = KindClick
			m.Click = c.click()
			m.Text = c.EventKey
			m.RawText = c.EventKey
		}
	default:
		m.Kind = KindOther
	}
	switch {
	case m.MsgID != "":
		m.DedupeKey = string(ch) + ":" + m.MsgID
	default:
		m.DedupeKey = fallbackKey(ch, plaintext)
	}
	return m, nil
}

func (c *aibotCardJSON) click() *Click {
	k := &Click{TaskID: c.TaskID, CardType: c.CardType, Key: c.EventKey}
	if c.SelectedItems != nil {
		for _, it := range c.SelectedItems.Items {
			if k.Selected == nil {
				k.Selected = map[string][]string{}
			}
			if k.Selected[it.QuestionKey] == nil {
				k.Selected[it.QuestionKey] = []string{}
			}
			for _, id := range it.OptionIDs.IDs {
				k.Selected[it.QuestionKey] = append(k.Selected[it.QuestionKey], string(id))
			}
		}
	}
	return k
}
