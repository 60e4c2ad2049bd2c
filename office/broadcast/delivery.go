package broadcast

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"firebot/campaign"
	"firebot/office"
	"firebot/store"
	"firebot/zhfmt"
)

// Delivery statuses of one group in one round.
const (
	deliverySent    = "sent"
	deliveryFailed  = "failed"
	deliveryPending = "pending"
)

// delivery is the outcome of one round's push to one group (all its parts
// when the content was split).
type delivery struct {
	chat   string
	units  []string
	status string
	reason string // plain Chinese, for failures
}

// roundDeliveries reads the outbox entries of round rd of broadcast id.
func roundDeliveries(tx store.Tx, id string, bc Broadcast, rd Round) ([]delivery, error) {
	entries, err := store.OutboxBySource(tx, Source(id, rd.N))
	if err != nil {
		return nil, err
	}
	byChat := map[string][]*store.OutboxEntry{}
	for _, e := range entries {
		byChat[e.Target] = append(byChat[e.Target], e)
	}
	unitsOf := map[string][]string{}
	for _, g := range bc.Groups {
		unitsOf[g.ChatID] = g.Units
	}
	out := make([]delivery, 0, len(rd.Chats))
	for _, ch := range rd.Chats {
		d := delivery{chat: ch, units: unitsOf[ch], status: deliverySent}
		es := byChat[ch]
		if len(es) == 0 {
			d.status, d.reason = deliveryFailed, "没有加入发送队列"
		}
		for _, e := range es {
			switch e.Status {
			case store.OutboxPending:
				d.status = deliveryPending
			case store.OutboxFailed:
				if d.status != deliveryPending {
					d.status = deliveryFailed
					if d.reason == "" {
						d.reason = e.Reason
					}
				}
			}
		}
		if d.status == deliveryFailed && d.reason == "" {
			d.reason = "发送失败"
		}
		out = append(out, d)
	}
	return out, nil
}

// tally counts deliveries by status.
func tally(ds []delivery) (sent, failed, pending int) {
	for _, d := range ds {
		switch d.status {
		case deliverySent:
			sent++
		case deliveryFailed:
			failed++
		default:
			pending++
		}
	}
	return sent, failed, pending
}

// reportText is the delivery report of round rd.
func reportText(id string, bc Broadcast, rd Round, ds []delivery, byID map[string]campaign.Unit) string {
	sent, failed, _ := tally(ds)
	var b strings.Builder
	if rd.N <= 1 {
		fmt.Fprintf(&b, "【广播送达情况】%s（%s 发出）\n", id, zhfmt.Moment(rd.At))
		fmt.Fprintf(&b, "内容：%s\n", office.PlainPreview(bc.Content, 40))
		fmt.Fprintf(&b, "范围：%s（%d个单位）\n", office.Safe(bc.ScopeLabel), len(bc.Units))
		fmt.Fprintf(&b, "发送到%d个群：成功%d个，失败%d个。", len(ds), sent, failed)
	} else {
		fmt.Fprintf(&b, "【回执提醒送达情况】%s 第%d轮（%s 发出）\n", id, rd.N, zhfmt.Moment(rd.At))
		fmt.Fprintf(&b, "提醒%d个群：成功%d个，失败%d个。", len(ds), sent, failed)
	}
	if failed > 0 {
		b.WriteString("\n发送失败：")
		n := 0
		for _, d := range ds {
			if d.status != deliveryFailed {
				continue
			}
			if n == office.MaxListed {
				fmt.Fprintf(&b, "\n……另有%d个群", failed-office.MaxListed)
				break
			}
			n++
			fmt.Fprintf(&b, "\n· %s（群 %s）：%s", office.Safe(office.NamesOf(d.units, byID, 3)), d.chat, d.reason)
		}
	}
	if rd.N <= 1 && len(bc.Direct) > 0 {
		fmt.Fprintf(&b, "\n没有群、已用应用消息发给安全员（%d个单位）：%s", len(bc.Direct), office.Safe(office.NamesOf(bc.Direct, byID, office.MaxListed)))
	}
	if rd.N <= 1 && len(bc.Missed) > 0 {
		fmt.Fprintf(&b, "\n没有群也没有安全员、收不到（%d个单位）：%s", len(bc.Missed), office.Safe(office.NamesOf(bc.Missed, byID, office.MaxListed)))
	}
	if bc.Ack {
		fmt.Fprintf(&b, "\n发送“回执 %s”查看回执情况。", id)
	}
	return b.String()
}

// Tick sends the delivery report of every broadcast round whose pushes
// are all final (sent, or failed for good), in the unit of work that marks
// it done, under a fixed idempotency key: safe on several replicas at
// once. Call it every few seconds, beside office.Tick.
func Tick(ctx context.Context, d office.Options) error {
	if d.Store == nil || d.Config == nil {
		return errors.New("office/broadcast: tick needs a store and a configuration")
	}
	return sendReports(ctx, d)
}

// sendReports sends the delivery reports that are due.
func sendReports(ctx context.Context, d office.Options) error {
	var due []string
	if err := d.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(bReportDue, "", "", func(k string, _ []byte) error {
			due = append(due, k)
			return nil
		})
	}); err != nil {
		return fmt.Errorf("office: list due reports: %w", err)
	}
	var errs []error
	for _, k := range due {
		if err := d.Store.Update(ctx, func(tx store.Tx) error { return sendReport(tx, d, k) }); err != nil {
			errs = append(errs, fmt.Errorf("office: report %s: %w", k, err))
		}
	}
	return errors.Join(errs...)
}

func sendReport(tx store.Tx, d office.Options, key string) error {
	if _, err := tx.Get(bReportDue, key); errors.Is(err, store.ErrNotFound) {
		return nil // another replica sent it
	} else if err != nil {
		return err
	}
	id, n := parseReportKey(key)
	_, bc, err := loadBroadcast(tx, d.Config.Campaign.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return tx.Delete(bReportDue, key)
	}
	if err != nil {
		return err
	}
	var rd *Round
	for i := range bc.Rounds {
		if bc.Rounds[i].N == n {
			rd = &bc.Rounds[i]
		}
	}
	if rd == nil {
		return tx.Delete(bReportDue, key)
	}
	ds, err := roundDeliveries(tx, id, bc, *rd)
	if err != nil {
		return err
	}
	if _, _, pending := tally(ds); pending > 0 {
		return nil
	}
	roster, err := store.Roster(tx)
	if err != nil {
		return err
	}
	text := reportText(id, bc, *rd, ds, office.IndexUnits(roster))
	okey := "broadcast-report:" + key
	if bc.ReportChat != "" {
		err = office.GroupText(tx, okey, "broadcast-report:"+id, bc.ReportChat, text, []string{bc.IssuerID})
	} else {
		err = office.UserText(tx, okey, "broadcast-report:"+id, []string{bc.IssuerID}, text)
	}
	if err != nil {
		return err
	}
	return tx.Delete(bReportDue, key)
}

func parseReportKey(k string) (string, int) {
	id, n, _ := strings.Cut(k, "/")
	r := 0
	for _, c := range n {
		if c < '0' || c > '9' {
			return id, 0
		}
		r = r*10 + int(c-'0')
	}
	return id, r
}
