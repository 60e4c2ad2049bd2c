package driver

import (
	"encoding/xml"

	"firebot/bot"
)

// AppMsg holds the fields common to app callbacks.
type AppMsg struct {
	CorpID     string // ToUserName
	UserID     string // FromUserName
	CreateTime int64
	AgentID    string
	MsgID      string // messages only
}

type appSelected struct {
	QuestionKey cdata   `xml:"QuestionKey"`
	OptionIDs   []cdata `xml:"OptionIds>OptionId"`
}

type appXML struct {
	XMLName       xml.Name          `xml:"xml"`
	ToUserName    cdata             `xml:"ToUserName"`
	FromUserName  cdata             `xml:"FromUserName"`
	CreateTime    int64             `xml:"CreateTime"`
	MsgType       cdata             `xml:"MsgType"`
	Content       *cdata            `xml:"Content,omitempty"`
	PicURL        *cdata            `xml:"PicUrl,omitempty"`
	MediaID       *cdata            `xml:"MediaId,omitempty"`
	Event         *cdata            `xml:"Event,omitempty"`
	EventKey      *cdata            `xml:"EventKey,omitempty"`
	TaskID        *cdata            `xml:"TaskId,omitempty"`
	CardType      *cdata            `xml:"CardType,omitempty"`
	ResponseCode  *cdata            `xml:"ResponseCode,omitempty"`
	MsgID         string            `xml:"MsgId,omitempty"`
	AgentID       string            `xml:"AgentID"`
	SelectedItems *appSelectedItems `xml:"SelectedItems,omitempty"`
}

type appSelectedItems struct {
	Items []appSelected `xml:"SelectedItem"`
}

func (h AppMsg) base(msgType string) appXML {
	return appXML{ToUserName: cdata{h.CorpID}, FromUserName: cdata{h.UserID}, CreateTime: h.CreateTime,
		MsgType: cdata{msgType}, AgentID: h.AgentID}
}

// AppText is a text message.
func AppText(h AppMsg, text string) []byte {
	x := h.base("text")
	x.Content, x.MsgID = &cdata{text}, h.MsgID
	return mustXML(x)
}

// AppImage is an image message.
func AppImage(h AppMsg, picURL, mediaID string) []byte {
	x := h.base("image")
	x.PicURL, x.MediaID, x.MsgID = &cdata{picURL}, &cdata{mediaID}, h.MsgID
	return mustXML(x)
}

// AppEvent is an event (enter_agent, …) with its EventKey.
func AppEvent(h AppMsg, event, eventKey string) []byte {
	x := h.base("event")
	x.Event, x.EventKey = &cdata{event}, &cdata{eventKey}
	return mustXML(x)
}

// AppCardEvent is a template_card_event with CDATA values, as in the fact
// sheet's example.
func AppCardEvent(h AppMsg, cardType, taskID, eventKey, responseCode string, selected map[string][]string) []byte {
	x := h.base("event")
	x.Event, x.EventKey, x.TaskID = &cdata{bot.EventTemplateCard}, &cdata{eventKey}, &cdata{taskID}
	x.CardType, x.ResponseCode = &cdata{cardType}, &cdata{responseCode}
	if len(selected) > 0 {
		x.SelectedItems = &appSelectedItems{}
		for _, q := range sortedKeys(selected) {
			it := appSelected{QuestionKey: cdata{q}}
			for _, o := range selected[q] {
				it.OptionIDs = append(it.OptionIDs, cdata{o})
			}
			x.SelectedItems.Items = append(x.SelectedItems.Items, it)
		}
	}
	return mustXML(x)
}
