package district_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"firebot/bot"
	"firebot/campaign"
	"firebot/district"
	"firebot/store"
)

// switchable is a street's store that can stop answering.
type switchable struct {
	store.Store
	down atomic.Bool
}

func (s *switchable) View(ctx context.Context, fn func(store.Tx) error) error {
	if s.down.Load() {
		return store.ErrUnavailable
	}
	return s.Store.View(ctx, fn)
}

// TestPreparedBeforeTheUnitOfWork: 统计 and 催报 read the streets in
// Prepare, before the district's unit of work; Handle answers from what
// was prepared without reading a street again (here the streets stop
// answering in between).
func TestPreparedBeforeTheUnitOfWork(t *testing.T) {
	roster := campaign.Roster{{ID: "c1", Name: "解放碑社区", Kind: campaign.KindCommunity}}
	jfb := &switchable{Store: street(t, roster, map[string][]string{"c1": {"publicity"}})}
	qxg := &switchable{Store: street(t, roster, nil)}
	desk := &district.Desk{Name: "渝中区", Staff: map[string]bool{"qu": true}, Streets: []district.Street{
		{ID: "jfb", Name: "解放碑街道", Campaign: camp, Store: jfb, OfficeChats: []campaign.Chat{{ID: "jfb-office"}}},
		{ID: "qxg", Name: "七星岗街道", Campaign: camp, Store: qxg},
	}}
	own := street(t, nil, nil) // the district's slot
	ctx := context.Background()
	for _, tc := range []struct{ text, want string }{
		{"统计", "解放碑街道：完成1/1项（100%）"},
		{"催报 解放碑", "已提醒解放碑街道的工作人员"},
	} {
		m := &bot.Message{Kind: bot.KindText, Text: tc.text, SenderID: "qu", ChatID: "qu", DedupeKey: tc.text}
		p, err := desk.Prepare(ctx, m)
		if err != nil || p == nil {
			t.Fatalf("%s: prepare %v, %v", tc.text, p, err)
		}
		m.Prepared = p
		jfb.down.Store(true)
		qxg.down.Store(true)
		var rep bot.Reply
		err = own.Update(ctx, func(tx store.Tx) error {
			var err error
			rep, err = desk.Handle(ctx, tx, m)
			return err
		})
		jfb.down.Store(false)
		qxg.down.Store(false)
		if err != nil || !strings.Contains(rep.Text, tc.want) {
			t.Errorf("%s: %q, %v; want %q", tc.text, rep.Text, err, tc.want)
		}
	}
	// Nothing to read for a broadcast preview or a stranger.
	for _, m := range []*bot.Message{
		{Kind: bot.KindText, Text: "广播 请汇总", SenderID: "qu"},
		{Kind: bot.KindText, Text: "统计", SenderID: "passerby"},
	} {
		if p, err := desk.Prepare(ctx, m); p != nil || err != nil {
			t.Errorf("%q from %s: prepared %v, %v", m.Text, m.SenderID, p, err)
		}
	}
}
