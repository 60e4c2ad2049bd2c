package broadcast

import (
	"fmt"
	"strings"

	"firebot/campaign"
	"firebot/office"
	"firebot/outbox"
	"firebot/store"
	"firebot/wecom"
)

// broadcastText is the message groups receive: a heading, the content as
// written (a text message: WeCom shows it verbatim, so nothing in it
// becomes a mention, a link or formatting) and how to acknowledge.
func broadcastText(camp *campaign.Campaign, id string, bc Broadcast) string {
	var b strings.Builder
	from := sender(camp, bc)
	b.WriteString("【" + from + "通知】\n")
	b.WriteString(bc.Content)
	if bc.Ack {
		fmt.Fprintf(&b, "\n\n请收到后 @我 回复“收到”（编号 %s）。", id)
	} else {
		fmt.Fprintf(&b, "\n\n（编号 %s）", id)
	}
	return b.String()
}

// appText is the broadcast as an officer receives it by application
// message: everything the groups get, with how to acknowledge one-to-one.
// Application text renders <a href>, so < and > are made inert.
func appText(camp *campaign.Campaign, id string, bc Broadcast, ack bool) string {
	from := sender(camp, bc)
	var b strings.Builder
	b.WriteString("【" + from + "通知】\n")
	b.WriteString(office.Safe(bc.Content))
	if ack {
		fmt.Fprintf(&b, "\n\n请点卡片上的“收到”，或私聊我回复“收到”（编号 %s）。", id)
	} else {
		fmt.Fprintf(&b, "\n\n（编号 %s）", id)
	}
	return b.String()
}

// ackCards offers each addressed unit's officers a 收到 button on an
// application card (group webhook pushes cannot carry buttons). A click
// comes back through the application callback as the officer typing
// “收到 GB-…” to the bot, which acknowledges for their units. The cards
// have their own outbox source, so the groups' delivery report is not
// affected by them.
func ackCards(tx store.Tx, id string, bc Broadcast, units []campaign.Unit) error {
	title := "请确认收到广播 " + id
	sub := []rune(bc.Content)
	if len(sub) > 60 {
		sub = append(sub[:60], '…')
	}
	for _, u := range units {
		if len(u.Officers) == 0 {
			continue
		}
		card := wecom.TemplateCard{
			CardType:     "button_interaction",
			MainTitle:    &wecom.CardTitle{Title: title, Desc: u.Name},
			SubTitleText: string(sub),
			TaskID:       "ack-" + id + "-" + cardSafe(u.ID),
			ButtonList:   []wecom.CardButton{{Text: "收到", Style: 1, Key: CmdAck + " " + id}},
		}
		if err := outbox.UserCard(tx, outbox.Key("broadcast-card", id, u.ID), outbox.Key("broadcast-card", id), u.Officers, card); err != nil {
			return err
		}
	}
	return nil
}

// cardSafe keeps the characters a card task id allows.
func cardSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-' || r == '@' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
