package sim

import (
	"encoding/xml"
	"strings"
)

// xmlReply is a robot or app XML passive reply: its text in whichever
// element the message type puts it, and a markdown reply's buttons. Both
// xmlReplyText and replyButtons read replies through it.
type xmlReply struct {
	Content string `xml:"Content"`
	Text    struct {
		Content string `xml:"Content"`
	} `xml:"Text"`
	Markdown struct {
		Content    string `xml:"Content"`
		Attachment struct {
			Actions []struct {
				Text  string `xml:"Text"`
				Value string `xml:"Value"`
			} `xml:"Actions"`
		} `xml:"Attachment"`
	} `xml:"Markdown"`
	Button struct {
		ReplaceName string `xml:"ReplaceName"`
	} `xml:"Button"`
}

// xmlReplyText reads the text of a robot or app XML passive reply, with
// the labels of any buttons.
func xmlReplyText(plaintext []byte) string {
	var x xmlReply
	if err := xml.Unmarshal(plaintext, &x); err != nil {
		return string(plaintext)
	}
	var b strings.Builder
	for _, s := range []string{x.Content, x.Text.Content, x.Markdown.Content, x.Button.ReplaceName} {
		if s != "" {
			b.WriteString(s)
		}
	}
	if acts := x.Markdown.Attachment.Actions; len(acts) > 0 {
		labels := make([]string, len(acts))
		for i, a := range acts {
			labels[i] = a.Text
		}
		b.WriteString("\n[按钮：" + strings.Join(labels, " | ") + "]")
	}
	return b.String()
}
