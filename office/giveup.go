package office

import (
	"context"
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/outbox"
	"firebot/store"
)

// Reminders and 催报 rounds are watched outbox sources (scheduler marks
// them): once every push of one is final, reportGivenUp tells the office
// chats, in one summary, which pushes were given up. A job fully
// delivered says nothing.
func reportGivenUp(ctx context.Context, d Options) error {
	return outbox.SettleWatched(ctx, d.Store, func(tx store.Tx, s outbox.Settled) error {
		if len(s.Failed) == 0 {
			return nil
		}
		text, err := givenUpText(tx, s)
		if err != nil {
			return err
		}
		key := outbox.Key("given-up", s.Source)
		source := key
		if len(d.Config.Access.OfficeChats) == 0 {
			if len(d.Config.Access.OfficeUsers) == 0 {
				return nil
			}
			return outbox.UserText(tx, key, source, d.Config.Access.OfficeUsers, text)
		}
		for _, ch := range d.Config.Access.OfficeChats {
			if err := outbox.GroupText(tx, outbox.Key(key, ch.ID), source, ch.ID, text, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// givenUpText is the summary of one settled job with failures.
func givenUpText(tx store.Tx, s outbox.Settled) (string, error) {
	roster, err := store.Roster(tx)
	if err != nil {
		return "", err
	}
	byID := IndexUnits(roster)
	var b strings.Builder
	fmt.Fprintf(&b, "【送达失败】%s：共%d条消息，%d条没有送达。", Safe(s.Label), s.Total, len(s.Failed))
	for i, e := range s.Failed {
		if i == MaxListed {
			fmt.Fprintf(&b, "\n……另有%d条", len(s.Failed)-MaxListed)
			break
		}
		who := "发往 " + e.Target
		switch bot.Channel(e.Channel) {
		case outbox.ChannelWebhook:
			units, err := store.UnitsOfChat(tx, e.Target)
			if err != nil {
				return "", err
			}
			who = fmt.Sprintf("%s（群 %s）", Safe(NamesOf(units, byID, 3)), e.Target)
			if len(units) == 0 {
				who = "群 " + e.Target
			}
		case outbox.ChannelApp:
			who = "应用消息给 " + strings.ReplaceAll(e.Target, "|", "、")
		}
		reason := e.Reason
		if reason == "" {
			reason = "发送失败"
		}
		fmt.Fprintf(&b, "\n· %s：%s", who, reason)
	}
	b.WriteString("\n请检查这些群的机器人，必要时另行通知。")
	return b.String(), nil
}

// MaxListed bounds the lines of a list in a chat message.
const MaxListed = 30
