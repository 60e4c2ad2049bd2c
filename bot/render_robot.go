package bot

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

type robotAttachment struct {
	CallbackID string             `xml:"CallbackId" json:"callback_id"`
	Actions    []robotReplyAction `xml:"Actions" json:"actions"`
}

type robotReplyAction struct {
	Name        string `xml:"Name" json:"name"`
	Value       string `xml:"Value" json:"value"`
	Text        string `xml:"Text" json:"text"`
	Type        string `xml:"Type" json:"type"`
	ReplaceText string `xml:"ReplaceText,omitempty" json:"replace_text,omitempty"`
}

type robotTextXML struct {
	Content       cdata          `xml:"Content"`
	MentionedList *robotItemsXML `xml:"MentionedList,omitempty"`
}

type robotItemsXML struct {
	Items []cdata `xml:"Item"`
}

type robotMarkdownXML struct {
	Content    cdata            `xml:"Content"`
	Attachment *robotAttachment `xml:"Attachment,omitempty"`
}

type robotReplyXML struct {
	XMLName       xml.Name          `xml:"xml"`
	MsgType       string            `xml:"MsgType"`
	Text          *robotTextXML     `xml:"Text,omitempty"`
	Markdown      *robotMarkdownXML `xml:"Markdown,omitempty"`
	VisibleToUser string            `xml:"VisibleToUser,omitempty"`
}

type robotTextJSON struct {
	Content       string   `json:"content"`
	MentionedList []string `json:"mentioned_list,omitempty"`
}

type robotMarkdownJSON struct {
	Content     string            `json:"content"`
	Attachments []robotAttachment `json:"attachments,omitempty"`
}

type robotReplyJSON struct {
	MsgType       string             `json:"msgtype"`
	Text          *robotTextJSON     `json:"text,omitempty"`
	Markdown      *robotMarkdownJSON `json:"markdown,omitempty"`
	VisibleToUser string             `json:"visible_to_user,omitempty"`
}

// robot renders text (with MentionedList) or markdown (with buttons as an
// attachment), in the format the callback came in.
func (rd Renderer) robot(m *Message, r Reply) ([]byte, error) {
	visible := strings.Join(r.VisibleTo, "|")
	text := xmlSafe(r.Text)
	if !r.Markdown && len(r.Buttons) == 0 {
		if m.Format == FormatJSON {
			return json.Marshal(robotReplyJSON{MsgType: "text", VisibleToUser: visible,
				Text: &robotTextJSON{Content: text, MentionedList: r.Mentions}})
		}
		x := robotReplyXML{MsgType: "text", VisibleToUser: visible, Text: &robotTextXML{Content: cdata{text}}}
		if len(r.Mentions) > 0 {
			x.Text.MentionedList = &robotItemsXML{}
			for _, u := range r.Mentions {
				x.Text.MentionedList.Items = append(x.Text.MentionedList.Items, cdata{xmlSafe(u)})
			}
		}
		return xml.Marshal(x)
	}

	// Markdown: mentions become <@userid> ("@all" cannot be expressed).
	text = xmlSafe(r.MarkdownText())
	var tags []string
	for _, u := range r.Mentions {
		if u != "" && u != "@all" {
			tags = append(tags, "<@"+xmlSafe(u)+">")
		}
	}
	content := text
	if len(tags) > 0 {
		content = strings.Join(tags, " ") + "\n" + text
	}
	if content == "" {
		content = "请选择："
	}
	att, err := rd.robotAttachment(r.Buttons)
	if err != nil {
		return nil, err
	}
	if m.Format == FormatJSON {
		md := &robotMarkdownJSON{Content: content}
		if att != nil {
			md.Attachments = []robotAttachment{*att}
		}
		return json.Marshal(robotReplyJSON{MsgType: "markdown", VisibleToUser: visible, Markdown: md})
	}
	return xml.Marshal(robotReplyXML{MsgType: "markdown", VisibleToUser: visible,
		Markdown: &robotMarkdownXML{Content: cdata{content}, Attachment: att}})
}

func (rd Renderer) robotAttachment(buttons []Button) (*robotAttachment, error) {
	if len(buttons) == 0 {
		return nil, nil
	}
	a := &robotAttachment{CallbackID: rd.newID()}
	for i, b := range buttons {
		if len(b.Value) > robotActionTextMax || b.Value == "" {
			return nil, fmt.Errorf("bot: render robot button %d: %w: %d bytes (1..%d)", i, ErrButtonTooLong, len(b.Value), robotActionTextMax)
		}
		label := b.Text
		if label == "" {
			label = b.Value
		}
		label = truncateBytes(xmlSafe(label), robotActionTextMax)
		a.Actions = append(a.Actions, robotReplyAction{
			Name:        truncateBytes("b"+strconv.Itoa(i+1), robotActionNameMax),
			Value:       xmlSafe(b.Value),
			Text:        label,
			Type:        "button",
			ReplaceText: truncateBytes("已选择："+label, robotActionTextMax),
		})
	}
	return a, nil
}
