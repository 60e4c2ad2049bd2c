package district

import (
	"context"
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/handlers/textparse"
	"firebot/store"
)

// 回执 QB-0001 催 reminds, street by street, the units of a district
// broadcast that have not acknowledged it, as 回执 GB-… 催 does in a
// street: each street's reminder is a new round of the street's own
// broadcast, in one unit of work of its own slot (Units.Remind), done in
// Prepare, before the district's unit of work. A reminder is keyed by the
// district message that asked for it, so a callback WeCom delivers again
// reminds no street twice; a new 催 is a new round, as in a street.

// Reminded is what a 回执 reminder sent in one street.
type Reminded struct {
	Chats  int // groups reminded
	Direct int // units without a group reminded through their officers
	Silent int // units reminded that had not acknowledged
}

// streetRemind is one street's part of a district 回执 … 催.
type streetRemind struct {
	street string // label
	sent   bool   // the broadcast has reached the street
	gb     string // "" = nobody in the street could receive it
	r      Reminded
	err    error
}

// parseReadBack reads 回执's arguments: an optional QB id, and 催.
func parseReadBack(args string) (id string, chase bool) {
	f := strings.Fields(args)
	if n := len(f); n > 0 && textparse.AsksReminder(f[n-1]) {
		chase, f = true, f[:n-1]
	}
	return strings.Join(f, " "), chase
}

// remindStreets reminds, street by street, the silent units of rb's
// broadcast, keyed by m. A street that fails is kept with its error; the
// others are reminded all the same.
func (d *Desk) remindStreets(ctx context.Context, rb *readBack, m *bot.Message) ([]streetRemind, error) {
	key := store.JoinKey(rb.ub.ID, m.DedupeKey) // the callback's, as its dedupe memory knows it
	var out []streetRemind
	for _, s := range rb.streets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		line := streetRemind{street: s.street, sent: s.sent, gb: s.gb}
		if s.sent && s.gb != "" {
			line.r, line.err = d.Units.Remind(ctx, s.id, s.gb, key, m.SenderID)
		}
		out = append(out, line)
	}
	return out, nil
}

// remindText is the reply to a district 回执 … 催.
func remindText(id string, lines []streetRemind) string {
	var b strings.Builder
	chats, direct, failed := 0, 0, 0
	for _, l := range lines {
		switch {
		case !l.sent:
			fmt.Fprintf(&b, "\n· %s：正在发送，还不能提醒", l.street)
		case l.gb == "":
			fmt.Fprintf(&b, "\n· %s：没有能收到的单位，没有提醒", l.street)
		case l.err != nil:
			failed++
			fmt.Fprintf(&b, "\n· %s %s：数据暂时读不到，没有提醒", l.street, l.gb)
		case l.r.Chats == 0 && l.r.Direct == 0:
			fmt.Fprintf(&b, "\n· %s %s：单位都已回执，不需要提醒", l.street, l.gb)
		default:
			chats, direct = chats+l.r.Chats, direct+l.r.Direct
			fmt.Fprintf(&b, "\n· %s %s：再次发给%d个群，涉及%d个未回执的单位", l.street, l.gb, l.r.Chats, l.r.Silent)
			if l.r.Direct > 0 {
				fmt.Fprintf(&b, "（其中%d个没有群的单位用应用消息提醒）", l.r.Direct)
			}
		}
	}
	head := fmt.Sprintf("【区级广播回执提醒】%s：已向%d个群再次发送提醒", id, chats)
	if direct > 0 {
		head += fmt.Sprintf("，%d个没有群的单位用应用消息提醒", direct)
	}
	if chats == 0 && direct == 0 && failed == 0 {
		head = fmt.Sprintf("【区级广播回执提醒】%s：各街道收到的单位都已回执，不需要再提醒。", id)
		return head + b.String()
	}
	tail := "\n发送“回执 " + id + "”查看各街道的回执。"
	if failed > 0 {
		tail = fmt.Sprintf("\n有%d个街道暂时读不到，没有提醒；请稍后再发“回执 %s 催”（已提醒的街道会再提醒一轮）。", failed, id) + tail
	}
	return head + "。" + b.String() + tail
}
